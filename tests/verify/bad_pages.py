"""Pages that answer 200 but are not the article asked for, shaped as they are in the wild.

Each kind has several variants from different vendors, themes and languages. The gate's rules were written
before these pages; tuning looked only at the development variants (`held_out=False`), and the held-out half
says whether the rules generalize (tests/verify/test_gate.py reports both rates).
"""

from __future__ import annotations

import base64
import random
import re
from dataclasses import dataclass
from functools import cache

from testing.snapshot.render import NOT_FOUND, render_site
from testing.snapshot.site import SNAPSHOT_ROOT

URL = "https://www.example-news.com/2026/07/02/senate-panel-advances-military-budget/"


@dataclass(frozen=True)
class BadPage:
    kind: str
    name: str
    held_out: bool
    html: bytes
    url: str = URL
    post_id: int | None = None
    stored_from: bytes | None = None  # the page whose article the warehouse holds for this URL


def _chrome(title: str, main: str, lang: str = "en") -> str:
    """A news theme's chrome around `main`: navigation, a sidebar of recent posts, a long footer."""
    nav = "".join(f'<li class="menu-item"><a href="/{s.lower()}/">{s}</a></li>' for s in (
        "World", "Politics", "Business", "Opinion", "Science", "Culture", "Sports", "Travel", "Video", "Podcasts"))
    recent = "".join(f'<li><a href="/2026/06/{d:02}/story-{d}/">{t}</a></li>' for d, t in enumerate((
        "Lawmakers weigh new limits on arms exports to the Gulf",
        "Drone strikes reported near the border as talks stall",
        "Aid groups warn of shortages as the winter approaches",
        "Court hears challenge to surveillance program renewal",
        "Ministers meet in Geneva to discuss prisoner exchange",
        "Election commission publishes final turnout figures"), start=1))
    footer = ("<p>Example News is an independent newsroom covering politics, foreign affairs and the economy "
              "since 1998. Our reporting is funded by readers like you.</p><ul><li><a href='/about/'>About us</a>"
              "</li><li><a href='/contact/'>Contact</a></li><li><a href='/privacy/'>Privacy policy</a></li>"
              "<li><a href='/terms/'>Terms of use</a></li><li><a href='/careers/'>Careers</a></li></ul>"
              "<p>&copy; 2026 Example News Media Group. All rights reserved.</p>")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="UTF-8"><title>{title}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/wp-content/themes/newsroom/style.css?ver=3.2">'
            '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script></head>'
            '<body class="wp-singular"><div id="page" class="site"><header id="masthead" class="site-header">'
            f'<p class="site-title"><a href="/">Example News</a></p><nav id="site-navigation"><ul>{nav}</ul></nav>'
            f'</header><div id="content" class="site-content"><main id="main" class="site-main">{main}</main>'
            f'<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
            f'<h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section></aside></div>'
            f'<footer id="colophon" class="site-footer">{footer}</footer></div></body></html>')


# ---------------------------------------------------------------- bot challenges

def cloudflare_just_a_moment() -> str:
    return ('<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" '
            'content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta '
            'name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-'
            'scale=1"><style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}</style></head><body>'
            '<div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">'
            'www.example-news.com</h1><h2 id="challenge-running" class="h2">Verifying you are human. This may take '
            'a few seconds.</h2><div id="challenge-stage"></div><div id="challenge-body-text" class="core-msg '
            'spacer">www.example-news.com needs to review the security of your connection before proceeding.</div>'
            '<noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"></span><span '
            'id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript>'
            '</div></div><script>(function(){window._cf_chl_opt={cvId: \'3\',cZone: "www.example-news.com",cType: '
            '\'managed\',cRay: \'8a1b2c3d4e5f6789\',cH: \'x9Yz\'};var cpo = document.createElement(\'script\');'
            'cpo.src = \'/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b2c3d4e5f6789\';'
            'document.getElementsByTagName(\'head\')[0].appendChild(cpo);}());</script><div class="footer" '
            'role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper"><div class="ray-'
            'id">Ray ID: <code>8a1b2c3d4e5f6789</code></div></div><div class="text-center" id="footer-text">'
            'Performance &amp; security by Cloudflare</div></div></div></body></html>')


def cloudflare_blocked() -> str:
    return ('<!DOCTYPE html><!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]--><html '
            'class="no-js" lang="en-US"><head><title>Attention Required! | Cloudflare</title><meta charset="UTF-8" />'
            '<meta name="robots" content="noindex, nofollow" /><link rel="stylesheet" id="cf_styles-css" '
            'href="/cdn-cgi/styles/cf.errors.css" /></head><body><div id="cf-wrapper"><div class="cf-alert '
            'cf-alert-error cf-cookie-error" id="cookie-alert" data-translate="enable_cookies">Please enable cookies.'
            '</div><div id="cf-error-details" class="cf-error-details-wrapper"><div class="cf-wrapper cf-header '
            'cf-error-overview"><h1 data-translate="block_headline">Sorry, you have been blocked</h1><h2 class='
            '"cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> '
            'example-news.com</h2></div><div class="cf-section cf-wrapper"><div class="cf-columns two"><div '
            'class="cf-column"><h2 data-translate="blocked_why_headline">Why have I been blocked?</h2><p data-'
            'translate="blocked_why_detail">This website is using a security service to protect itself from online '
            'attacks. The action you just performed triggered the security solution. There are several actions that '
            'could trigger this block including submitting a certain word or phrase, a SQL command or malformed '
            'data.</p></div><div class="cf-column"><h2 data-translate="blocked_resolve_headline">What can I do to '
            'resolve this?</h2><p data-translate="blocked_resolve_detail">You can email the site owner to let them '
            'know you were blocked. Please include what you were doing when this page came up and the Cloudflare '
            'Ray ID found at the bottom of this page.</p></div></div></div><div class="cf-error-footer cf-wrapper">'
            '<p><span>Cloudflare Ray ID: <strong>8a1b2c3d4e5f6789</strong></span> &bull; <span>Performance &amp; '
            'security by Cloudflare</span></p></div></div></div></body></html>')


def akamai_access_denied() -> str:
    return ('<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \nYou don\'t have '
            'permission to access "http&#58;&#47;&#47;www&#46;example-news&#46;com&#47;2026&#47;07&#47;02&#47;" on '
            'this server.<P>\nReference&#32;&#35;18&#46;4f2a1b17&#46;1751450000&#46;2c3d4e5f\n<P>https&#58;&#47;&#47;'
            'errors&#46;edgesuite&#46;net&#47;18&#46;4f2a1b17&#46;1751450000&#46;2c3d4e5f</P>\n</BODY>\n</HTML>\n')


def perimeterx_press_and_hold() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-'
            'width, initial-scale=1"><meta name="description" content="px-captcha"><title>Access to this page has '
            'been denied</title><link href="https://fonts.googleapis.com/css?family=Open+Sans:300,400,700" '
            'rel="stylesheet"></head><body><section class="container"><div class="page-title-wrapper"><div class='
            '"page-title"><h1>Before we continue...</h1></div></div><div class="content-wrapper"><div class='
            '"content"><div id="px-captcha"></div><p>Press &amp; Hold to confirm you are<br>a human (and not a bot).'
            '</p><p class="px-reference">Reference ID 3f1c2a90-5b7e-11ef-9c1d-4b5a6c7d8e9f</p></div></div></section>'
            '<script>window._pxAppId = \'PXa1B2c3D4\';window._pxJsClientSrc = \'/a1B2c3D4/init.js\';window.'
            '_pxFirstPartyEnabled = true;window._pxHostUrl = \'/a1B2c3D4/xhr\';window._pxreCaptchaTheme = \'light\';'
            '</script><script src="/a1B2c3D4/captcha/captcha.js?a=c&u=3f1c2a90&v=&m=0"></script></body></html>')


def datadome() -> str:
    return ('<html lang="en"><head><title>example-news.com</title><style>#cmsg{animation: A 1.5s;}@keyframes A{0%{'
            'opacity:0;}99%{opacity:0;}100%{opacity:1;}}</style></head><body style="margin:0"><p id="cmsg">Please '
            'enable JS and disable any ad blocker</p><script data-cfasync="false">var dd={\'rt\':\'c\',\'cid\':'
            '\'AHrlqAAAAAMAx9Kc1zM0Y0QAWAvI2g==\',\'hsh\':\'2211F522B61E269B869FA6EAFFB5E1\',\'t\':\'fe\',\'s\':'
            '43337,\'e\':\'a1b2c3\',\'host\':\'geo.captcha-delivery.com\',\'cookie\':\'dd_cookie_value\'}</script>'
            '<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script></body></html>')


def sucuri_firewall() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sucuri WebSite Firewall - Access '
            'Denied</title><link rel="stylesheet" href="https://cdn.sucuri.net/sucuri-firewall-block.css"></head>'
            '<body><div id="main-container"><header class="app-header clearfix"><div class="wrap"><a href="https://'
            'www.sucuri.net/?utm_source=firewall_block" class="logo"></a><span class="site-link"><b>Sucuri</b> '
            'WebSite Firewall</span></div></header><section class="app-content access-denied clearfix"><div '
            'class="box center width-max-940"><h1 class="brand-font font-size-xtra no-margin"><i class="icon-circle-'
            'red"></i>Access Denied - Sucuri Website Firewall</h1><p class="medium-text code-snippet">If you are the '
            'site owner (or you manage this site), please whitelist your IP or if you think this block is an error '
            'please <a href="https://support.sucuri.net/" class="color-green underline">open a support ticket</a> '
            'and make sure to include the block details (displayed in the box below).</p><h2>Block details:</h2>'
            '<table class="property-table overflow-break-all line-height-16"><tr><td>Your IP:</td><td>'
            '203.0.113.7</td></tr><tr><td>URL:</td><td>www.example-news.com/2026/07/02/</td></tr><tr><td>Block ID:'
            '</td><td>BNP005</td></tr><tr><td>Block reason:</td><td>Bad bot access attempt.</td></tr></table></div>'
            '</section></div></body></html>')


def ddos_guard_german() -> str:
    return ('<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="robots" content="noindex, '
            'nofollow"><title>Einen Moment bitte…</title><script src="/.well-known/ddos-guard/check?context=free_'
            'splash"></script></head><body><div class="container"><h1>Überprüfung Ihres Browsers</h1><p>Dieser '
            'Vorgang ist automatisch. Ihr Browser wird in Kürze zu den angeforderten Inhalten weitergeleitet.</p>'
            '<p>Bitte warten Sie bis zu 5 Sekunden…</p><noscript>Bitte aktivieren Sie JavaScript und Cookies.'
            '</noscript><p class="small">DDoS-Schutz durch DDoS-Guard</p></div></body></html>')


def incapsula_iframe() -> str:
    return ('<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW"><meta name="format-'
            'detection" content="telephone=no"><meta name="viewport" content="initial-scale=1.0"><meta http-equiv="X-'
            'UA-Compatible" content="IE=edge,chrome=1"></head><body style="margin:0px;height:100%"><iframe id="main-'
            'iframe" src="/_Incapsula_Resource?CWUDNSAI=24&xinfo=9-57213487-0%200NNN%20RT%281751450000%20115%29&incid'
            'ent_id=1234000560089123456-98765&edet=9&cinfo=ffffffff&rpinfo=0&mth=GET" frameborder=0 width="100%" '
            'height="100%" marginheight="0px" marginwidth="0px">Request unsuccessful. Incapsula incident ID: '
            '1234000560089123456-98765</iframe></body></html>')


# ---------------------------------------------------------------- login walls

def wordpress_login() -> str:
    return ('<!DOCTYPE html><html lang="en-US"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"'
            ' /><title>Log In &lsaquo; Example News &#8212; WordPress</title><meta name=\'robots\' content=\'max-image-'
            'preview:large, noindex, noarchive\' /><link rel=\'stylesheet\' id=\'login-css\' href=\'/wp-admin/css/'
            'login.min.css?ver=6.6.2\' media=\'all\' /><meta name=\'referrer\' content=\'strict-origin-when-cross-'
            'origin\' /><meta name="viewport" content="width=device-width, initial-scale=1.0" /></head><body class='
            '"login no-js login-action-login wp-core-ui  locale-en-us"><div id="login"><h1><a href="https://'
            'wordpress.org/">Powered by WordPress</a></h1><form name="loginform" id="loginform" action="https://'
            'www.example-news.com/wp-login.php" method="post"><p><label for="user_login">Username or Email Address'
            '</label><input type="text" name="log" id="user_login" class="input" value="" size="20" autocapitalize='
            '"off" autocomplete="username" required="required" /></p><div class="user-pass-wrap"><label for="user_'
            'pass">Password</label><div class="wp-pwd"><input type="password" name="pwd" id="user_pass" class="input'
            ' password-input" value="" size="20" autocomplete="current-password" spellcheck="false" required="'
            'required" /></div></div><p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme"'
            ' value="forever"  /> <label for="rememberme">Remember Me</label></p><p class="submit"><input type="'
            'submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />'
            '<input type="hidden" name="redirect_to" value="https://www.example-news.com/wp-admin/" /></p></form>'
            '<p id="nav"><a href="https://www.example-news.com/wp-login.php?action=lostpassword">Lost your password?'
            '</a></p><p id="backtoblog"><a href="https://www.example-news.com/">&larr; Go to Example News</a></p>'
            '</div></body></html>')


def paywall_login_wall() -> str:
    teaser = ("<p>WASHINGTON — The Senate Armed Services Committee on Tuesday advanced a defense authorization bill "
              "that would raise military spending to a record level, setting up a floor fight over provisions on "
              "arms sales and troop deployments.</p>")
    wall = ('<div class="paywall" id="regwall"><h3>Continue reading with a subscription</h3><p>Subscribe now for '
            'unlimited access to our journalism. Already a subscriber? Log in below.</p><form class="login-form" '
            'action="/account/login" method="post"><label>Email<input type="email" name="email"></label><label>'
            'Password<input type="password" name="password"></label><button type="submit">Log in</button></form>'
            '<a class="btn" href="/subscribe/">Subscribe for $1 a week</a></div>')
    main = (f'<article class="post"><h1 class="entry-title">Senate Panel Advances Record Military Budget</h1>'
            f'<div class="entry-content">{teaser}{wall}</div></article>')
    return _chrome("Senate Panel Advances Record Military Budget | Example News", main)


def german_paywall() -> str:
    main = ('<article><h1>Haushaltsausschuss billigt Rekordetat für die Bundeswehr</h1><div class="article-body">'
            '<p>Der Haushaltsausschuss des Bundestages hat in der Nacht zum Mittwoch den Verteidigungsetat für das '
            'kommende Jahr gebilligt.</p><div class="offer"><h2>Jetzt weiterlesen mit Plus</h2><p>Sie haben bereits '
            'ein Abo? Jetzt anmelden.</p><form action="/login" method="post"><input type="text" name="user"><input '
            'type="password" name="pass"><button>Anmelden</button></form><p>Jetzt abonnieren: 4 Wochen für 0,99 €'
            '</p></div></div></article>')
    return _chrome("Haushaltsausschuss billigt Rekordetat für die Bundeswehr", main, "de")


def sso_sign_in() -> str:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in to continue</title><meta name="robots" '
            'content="noindex"></head><body class="auth"><main class="auth-card"><h1>Sign in</h1><p>Please sign in '
            'to your account to read this story.</p><form method="post" action="/u/login?state=hKFo2SBx"><input '
            'type="hidden" name="state" value="hKFo2SBx"><label for="username">Email address</label><input id='
            '"username" name="username" type="text" autocomplete="email"><label for="password">Password</label>'
            '<input id="password" name="password" type="password"><button type="submit" name="action" value="default"'
            '>Continue</button></form><p>Don\'t have an account? <a href="/u/signup">Sign up</a></p></main></body>'
            '</html>')


# ---------------------------------------------------------------- maintenance

def wordpress_maintenance() -> str:
    # what wp_maintenance() sends (wp-includes/load.php) when .maintenance exists, here with status 200 as proxies do
    return ('<!DOCTYPE html>\n<html lang="en-US">\n<head>\n\t<meta http-equiv="Content-Type" content="text/html; '
            'charset=utf-8" />\n\t<meta name="viewport" content="width=device-width">\n\t<title>Maintenance</title>'
            '\n\t<style type="text/css">html { background: #f1f1f1; }</style>\n</head>\n<body id="error-page">\n\t'
            '<div class="wp-die-message"><h1>Briefly unavailable for scheduled maintenance. Check back in a minute.'
            '</h1></div></body>\n</html>\n')


def coming_soon_plugin() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Example News &#8211; We&#039;ll be '
            'back soon!</title><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width='
            'device-width, initial-scale=1"><link rel="stylesheet" href="/wp-content/plugins/coming-soon/public/css/'
            'tailwind.min.css"></head><body class="sp-h-full sp-antialiased"><div id="sp-page"><h1 class="sp-css-'
            'target">We&#039;ll be back soon!</h1><p>Sorry for the inconvenience but we&#039;re performing some '
            'maintenance at the moment. If you need to you can always contact us, otherwise we&#039;ll be back '
            'online shortly!</p><p>&mdash; The Team</p></div></body></html>')


def nginx_503() -> str:
    return ('<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 '
            'Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')


def spanish_maintenance() -> str:
    return ('<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Sitio en mantenimiento</title>'
            '<meta name="robots" content="noindex"></head><body><div class="mantenimiento"><img src="/logo.png" '
            'alt="Diario Ejemplo"><h1>Estamos realizando tareas de mantenimiento</h1><p>Volveremos a estar en línea '
            'en breve. Disculpe las molestias.</p></div></body></html>')


# ---------------------------------------------------------------- soft 404s in the site's own chrome

def snapshot_theme_404() -> str:
    _, pages = _news_site()
    return pages[NOT_FOUND].body.decode("utf-8")


def twentytwentyone_nothing_here() -> str:
    main = ('<header class="page-header alignwide"><h1 class="page-title">Nothing here</h1></header><div class='
            '"error-404 not-found default-max-width"><div class="page-content"><p>It looks like nothing was found at '
            'this location. Maybe try a search?</p><form role="search" method="get" class="search-form" action='
            '"https://www.example-news.com/"><label for="search-form-1">Search&hellip;</label><input type="search" '
            'id="search-form-1" class="search-field" value="" name="s" /><input type="submit" class="search-submit" '
            'value="Search" /></form></div></div>')
    return _chrome("Page not found &#8211; Example News", main)


def divi_no_results() -> str:
    main = ('<div id="left-area"><article id="post-0" class="et_pb_post not_found"><div class="entry"><h1 class="not-'
            'found-title">No Results Found</h1><p>The page you requested could not be found. Try refining your search,'
            ' or use the navigation above to locate the post.</p></div></article></div>')
    return _chrome("Example News", main).replace('<link rel="stylesheet"', '<link rel="canonical" href="https://'
                                                 'www.example-news.com/"><link rel="stylesheet"', 1)


def german_not_found() -> str:
    main = ('<div class="error-page"><h1>Seite nicht gefunden</h1><p>Leider konnten wir die von Ihnen gesuchte Seite '
            'nicht finden. Vielleicht hilft Ihnen die Suche weiter.</p><p><a href="/">Zur Startseite</a></p></div>')
    return _chrome("Fehler 404 – Seite nicht gefunden | Beispiel Zeitung", main, "de")


# ---------------------------------------------------------------- consent walls

def onetrust_wall() -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Example News</title><script src='
            '"https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="0190a1b2-c3d4"></script>'
            '</head><body><div id="onetrust-consent-sdk"><div class="onetrust-pc-dark-filter"></div><div id='
            '"onetrust-banner-sdk" class="otCenterRounded" role="alertdialog" aria-describedby="onetrust-policy-'
            'text"><div class="ot-sdk-container"><div id="onetrust-policy"><h2 id="onetrust-policy-title">We value '
            'your privacy</h2><div id="onetrust-policy-text">We and our partners store and/or access information on '
            'a device, such as cookies, and process personal data, such as unique identifiers and standard '
            'information sent by a device for personalised advertising and content, advertising and content '
            'measurement, audience research and services development. With your permission we and our partners may '
            'use precise geolocation data and identification through device scanning. You may click to consent to '
            'our and our partners’ processing as described above. Alternatively you may access more detailed '
            'information and change your preferences before consenting or to refuse consenting. Please note that '
            'some processing of your personal data may not require your consent, but you have a right to object to '
            'such processing. Your preferences will apply to this website only.</div></div><div id="onetrust-button-'
            'group"><button id="onetrust-pc-btn-handler">Cookie Settings</button><button id="onetrust-reject-all-'
            'handler">Reject All</button><button id="onetrust-accept-btn-handler">Accept All Cookies</button></div>'
            '</div></div></div></body></html>')


def didomi_wall() -> str:
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Le Journal Exemple</title><script>'
            'window.didomiConfig={app:{apiKey:"9a8b7c6d"}};</script><script src="https://sdk.privacy-center.org/'
            'loader.js" async></script></head><body><div id="didomi-host" class="didomi-host" aria-hidden="false">'
            '<div class="didomi-popup-container"><div id="didomi-notice" class="didomi-notice-popup"><h1 class='
            '"didomi-popup-title">Vos choix concernant les cookies</h1><p class="didomi-popup-notice-text">Avec '
            'votre accord, nos partenaires et nous utilisons des cookies ou technologies similaires pour stocker et '
            'accéder à des informations personnelles comme votre visite sur ce site. Vous pouvez retirer votre '
            'consentement ou vous opposer aux traitements basés sur l\'intérêt légitime à tout moment en cliquant '
            'sur « En savoir plus » ou dans notre politique de confidentialité sur ce site.</p><button id="didomi-'
            'notice-agree-button">Accepter &amp; Fermer</button><button id="didomi-notice-disagree-button">Continuer'
            ' sans accepter</button><button id="didomi-notice-learn-more-button">Paramétrer les cookies</button>'
            '</div></div></div></body></html>')


def google_before_you_continue() -> str:
    return ('<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>Before you continue</title>'
            '<meta name="robots" content="noindex"></head><body><div class="consent-bump"><h1>Before you continue to '
            'Example</h1><p>We use cookies and data to deliver and maintain our services, track outages and protect '
            'against spam, fraud and abuse, and measure audience engagement and site statistics.</p><p>If you choose '
            'to “Accept all,” we will also use cookies and data to develop and improve new services and show '
            'personalised ads.</p><form action="https://consent.example.com/save" method="POST"><input type="hidden" '
            'name="set_eom" value="true"><button>Reject all</button><button>Accept all</button></form><a href='
            '"/privacy">Privacy</a> · <a href="/terms">Terms</a></div></body></html>')


def consent_or_pay_german() -> str:
    return ('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Beispiel Zeitung</title><script '
            'src="https://cdn.privacy-mgmt.com/unified/wrapperMessagingWithoutDetection.js"></script></head><body>'
            '<div id="sp_message_container_123456" class="sp_message_container"><div class="message-component '
            'message-row"><h2>Zustimmen oder Pur-Abo</h2><p>Wir und unsere Partner verwenden Cookies und ähnliche '
            'Technologien, um Inhalte und Werbung zu personalisieren. Mit Ihrer Einwilligung können Sie die Seite wie'
            ' gewohnt mit Werbung nutzen. Alternativ nutzen Sie unser Angebot ohne Werbetracking im Pur-Abo. Details '
            'zur Datenverarbeitung finden Sie in der Datenschutzerklärung und in den Privatsphäre-Einstellungen.</p>'
            '<button title="Zustimmen und weiter">Zustimmen und weiter</button><button title="Pur-Abo">Jetzt Pur-Abo'
            ' abschließen</button></div></div></body></html>')


# ---------------------------------------------------------------- noise

def random_bytes(seed: int) -> bytes:
    return random.Random(seed).randbytes(6144)


def base64_blob() -> str:
    blob = base64.b64encode(random.Random(7).randbytes(4500)).decode("ascii")
    lines = " ".join(blob[i:i + 76] for i in range(0, len(blob), 76))
    return f"<html><head><title>Senate Panel Advances Record Military Budget</title></head><body><p>{lines}</p>" \
           "</body></html>"


def letter_soup() -> str:
    rnd = random.Random(11)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 11)))
             for _ in range(900)]
    paragraphs = "".join(f"<p>{' '.join(words[i:i + 60])}.</p>" for i in range(0, len(words), 60))
    return f"<html><head><title>Senate Panel Advances Record Military Budget</title></head><body><article>" \
           f"{paragraphs}</article></body></html>"


# ---------------------------------------------------------------- another article, a cut article

@cache
def _news_site():  # type: ignore[no-untyped-def]
    return render_site(SNAPSHOT_ROOT / "news.antiwar.com")


def _news_article(index: int) -> tuple[str, bytes]:
    site, pages = _news_site()
    paths = [p for p in pages if re.fullmatch(r"/\d{4}/\d\d/\d\d/[^/]+/", p)]
    path = sorted(paths)[index]
    return f"https://{site.host}{path}", pages[path].body


def _post_id(html: bytes) -> int | None:
    match = re.search(rb"[?&]p=(\d+)", html) or re.search(rb'id="post-(\d+)"', html)
    return int(match.group(1)) if match else None


def _cut(html: bytes, keep: float) -> bytes:
    """The page with its body's paragraphs cut to the first `keep` share, the markup still well formed."""
    text = html.decode("utf-8")
    paragraphs = list(re.finditer(r'<p class="wp-block-paragraph">.*?</p>', text, re.S))
    kept = max(1, int(len(paragraphs) * keep))
    return (text[:paragraphs[kept - 1].end()] + text[paragraphs[-1].end():]).encode("utf-8")


def bad_pages() -> list[BadPage]:
    """Every variant, in kind order; about half of each kind held out."""
    def html(kind: str, name: str, held_out: bool, page: str | bytes) -> BadPage:
        return BadPage(kind, name, held_out, page.encode("utf-8") if isinstance(page, str) else page)

    asked_url, asked = _news_article(-1)
    other_url, other = _news_article(-2)
    _third_url, third = _news_article(-4)
    return [
        html("challenge", "cloudflare just a moment", False, cloudflare_just_a_moment()),
        html("challenge", "cloudflare blocked", True, cloudflare_blocked()),
        html("challenge", "akamai access denied", False, akamai_access_denied()),
        html("challenge", "perimeterx press and hold", True, perimeterx_press_and_hold()),
        html("challenge", "datadome", False, datadome()),
        html("challenge", "sucuri firewall", True, sucuri_firewall()),
        html("challenge", "ddos-guard (de)", False, ddos_guard_german()),
        html("challenge", "incapsula iframe", True, incapsula_iframe()),
        html("login", "wordpress wp-login", False, wordpress_login()),
        html("login", "paywall login wall", True, paywall_login_wall()),
        html("login", "paywall (de)", False, german_paywall()),
        html("login", "sso sign in", True, sso_sign_in()),
        html("maintenance", "wordpress maintenance", False, wordpress_maintenance()),
        html("maintenance", "coming soon plugin", True, coming_soon_plugin()),
        html("maintenance", "nginx 503", False, nginx_503()),
        html("maintenance", "mantenimiento (es)", True, spanish_maintenance()),
        html("not found", "snapshot theme 404", False, snapshot_theme_404()),
        html("not found", "twenty twenty-one nothing here", True, twentytwentyone_nothing_here()),
        html("not found", "divi no results", False, divi_no_results()),
        html("not found", "seite nicht gefunden (de)", True, german_not_found()),
        html("consent", "onetrust wall", False, onetrust_wall()),
        html("consent", "didomi wall (fr)", True, didomi_wall()),
        html("consent", "before you continue", False, google_before_you_continue()),
        html("consent", "consent or pay (de)", True, consent_or_pay_german()),
        html("noise", "random bytes 1", False, random_bytes(1)),
        html("noise", "random bytes 2", True, random_bytes(2)),
        html("noise", "base64 blob", False, base64_blob()),
        html("noise", "letter soup", True, letter_soup()),
        BadPage("another article", "other page, post id asked", False, other, asked_url, _post_id(asked), asked),
        BadPage("another article", "other page, feed target", True, third, asked_url, None, asked),
        BadPage("truncated", "first paragraph only", False, _cut(asked, 0.0), asked_url, _post_id(asked), asked),
        BadPage("truncated", "a third kept", True, _cut(other, 0.34), other_url, None, other),
    ]
