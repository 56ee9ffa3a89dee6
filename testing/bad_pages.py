# ruff: noqa: E501  (the pages keep their vendors' markup and line shapes; reflowing them would change the pages)
"""Pages that answer 200 but are not the article: what bot walls, login walls, maintenance, consent and
challenge pages look like in the wild, drawn as HTML a test can serve in place of a real page.

Each function takes the host's display name (and a `random.Random` where the page carries ids or tokens) and
returns HTML. The markup follows the vendors' own pages (their titles, ids, script hosts, wording) closely
enough that a check keyed to one fixture would not pass them all; the texts are paraphrased, in several languages.
testing/bad_successes.py turns them into faults.
"""

from __future__ import annotations

import random

__all__ = ["CHALLENGES", "CONSENT_WALLS", "LOGIN_WALLS", "MAINTENANCE", "NOT_FOUND_TEXTS"]


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def cloudflare_just_a_moment(site: str, rng: random.Random) -> str:
    ray = _hex(rng, 16)
    return f"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge">
<meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{{box-sizing:border-box;margin:0;padding:0}}html{{line-height:1.15}}body{{display:flex;flex-direction:column}}</style>
<meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main">
<div class="main-content"><h1 class="zone-name-title h1">{site}</h1><h2 class="h2" id="challenge-running">Checking if the site
connection is secure</h2><noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"></span>
<span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">{site} needs to review the security of your connection before
proceeding.</div></div></div><script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: "{site}",cType: 'managed',
cNounce: '{rng.randint(10000, 99999)}',cRay: '{ray}',cHash: '{_hex(rng, 15)}',cFPWv: 'g'}};var cpo=document.createElement('script');
cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray={ray}';document.getElementsByTagName('head')[0].appendChild(cpo);}}());</script>
<div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper"><div class="ray-id">
Ray ID: <code>{ray}</code></div></div><div class="text-center" id="footer-text">Performance &amp; security by
<a rel="noopener noreferrer" href="https://www.cloudflare.com" target="_blank">Cloudflare</a></div></div></div></body></html>"""


def cloudflare_attention_required(site: str, rng: random.Random) -> str:
    ray = _hex(rng, 16)
    return f"""<!DOCTYPE html><!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html class="no-js" lang="en-US"><head><title>Attention Required! | Cloudflare</title><meta charset="UTF-8" />
<meta name="robots" content="noindex, nofollow" /><link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
</head><body><div id="cf-wrapper"><div class="cf-alert cf-alert-error cf-cookie-error" id="cookie-alert" data-translate="enable_cookies">
Please enable cookies.</div><div id="cf-error-details" class="cf-error-details-wrapper"><div class="cf-wrapper cf-header cf-error-overview">
<h1 data-translate="block_headline">Sorry, you have been blocked</h1><h2 class="cf-subheadline"><span data-translate="unable_to_access">
You are unable to access</span> {site}</h2></div><div class="cf-section cf-highlight"><div class="cf-wrapper"><div class="cf-screenshot-container">
<span class="cf-no-screenshot error"></span></div></div></div><div class="cf-section cf-wrapper"><div class="cf-columns two">
<div class="cf-column"><h2 data-translate="blocked_why_headline">Why have I been blocked?</h2><p data-translate="blocked_why_detail">
This website is using a security service to protect itself from online attacks. The action you just performed triggered the
security solution.</p></div><div class="cf-column"><h2 data-translate="blocked_resolve_headline">What can I do to resolve this?</h2>
<p data-translate="blocked_resolve_detail">You can email the site owner to let them know you were blocked.</p></div></div></div>
<div class="cf-error-footer cf-wrapper"><p><span class="cf-footer-item">Cloudflare Ray ID: <strong>{ray}</strong></span></p></div>
</div></div></body></html>"""


def akamai_access_denied(site: str, rng: random.Random) -> str:
    ref = f"18.{_hex(rng, 8)}.{rng.randint(1_700_000_000, 1_799_999_999)}.{_hex(rng, 8)}"
    return f"""<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "http&#58;&#47;&#47;{site}&#47;" on this server.<P>
Reference&#32;&#35;{ref}
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;{ref}</P>
</BODY>
</HTML>
"""


def perimeterx_press_and_hold(site: str, rng: random.Random) -> str:
    app = "PX" + _hex(rng, 8)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="px-captcha"><title>Access to this page has been denied</title>
<link href="https://fonts.googleapis.com/css?family=Open+Sans:300,400,600" rel="stylesheet"></head><body>
<section class="container"><div class="page-title-wrapper"><div class="page-title"><h1>Before we continue...</h1></div></div>
<div class="content-wrapper"><div class="content"><p>Press &amp; Hold to confirm you are<br>a human (and not a bot).</p>
<div id="px-captcha"></div></div></div><div class="page-footer-wrapper"><div class="page-footer"><p>Reference ID
{_hex(rng, 8)}-{_hex(rng, 4)}-11ef-{_hex(rng, 4)}-{_hex(rng, 12)}</p></div></div></section>
<script>window._pxAppId = '{app}';window._pxJsClientSrc = '/{app[2:]}/init.js';window._pxVid = '';window._pxUuid = '';
window._pxHostUrl = '/{app[2:]}/xhr';</script><script src="https://captcha.px-cdn.net/{app}/captcha.js?a=c&m=0"></script></body></html>"""


def datadome_captcha(site: str, rng: random.Random) -> str:
    cid = _hex(rng, 32)
    return f"""<html lang="en"><head><title>{site}</title><style>#cmsg{{animation: A 1.5s;}}@keyframes A{{0%{{opacity:0;}}99%{{opacity:0;}}100%{{opacity:1;}}}}</style></head>
<body style="margin:0"><p id="cmsg">Please enable JS and disable any ad blocker</p>
<script data-cfasync="false">var dd={{'rt':'c','cid':'AHrlqAAAAAMA{cid[:20]}','hsh':'{_hex(rng, 30).upper()}','t':'fe','s':{rng.randint(10000, 99999)},
'e':'{cid}','host':'geo.captcha-delivery.com','cookie':'{_hex(rng, 40)}'}}</script>
<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script></body></html>"""


def incapsula_incident(site: str, rng: random.Random) -> str:
    incident = f"{rng.randint(100, 999)}000{rng.randint(100000, 999999)}-{rng.randint(10**17, 10**18)}"
    return f"""<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW"><meta name="format-detection"
content="telephone=no"><meta name="viewport" content="initial-scale=1.0"><meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
</head><body style="margin:0px;height:100%"><iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=24&xinfo=8-{rng.randint(10**6, 10**7)}-0%200NNN%20RT&incident_id={incident}&edet=15"
frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">Request unsuccessful. Incapsula incident ID:
{incident}</iframe></body></html>"""


def sucuri_firewall(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Sucuri WebSite Firewall - Zugriff verweigert</title>
<link rel="stylesheet" href="https://cdn.sucuri.net/sucuri-firewall-block.css"></head><body><div id="main-container">
<header class="app-header clearfix"><div class="wrap"><a href="https://www.sucuri.net/" class="logo"></a><span class="site-title">
Sie sind nicht berechtigt, auf {site} zuzugreifen.</span></div></header><section class="app-content access-denied clearfix">
<div class="box center width-max-940"><h1 class="title">Zugriff verweigert - Sucuri Website Firewall</h1>
<table class="property-table overflow-break-all line-height-16"><tr><td>Block ID:</td><td><span>BOT{rng.randint(100, 999)}</span></td></tr>
<tr><td>Block reason:</td><td><span>Automatisierter Zugriff erkannt.</span></td></tr><tr><td>Time:</td><td><span>2026-07-03 00:0{rng.randint(0, 9)}:12</span></td></tr>
</table></div></section></div></body></html>"""


CHALLENGES = [cloudflare_just_a_moment, cloudflare_attention_required, akamai_access_denied, perimeterx_press_and_hold,
              datadome_captcha, incapsula_incident, sucuri_firewall]


def wordpress_login(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>Log In &lsaquo; {site} &#8212; WordPress</title><meta name='robots' content='max-image-preview:large, noindex, noarchive' />
<link rel='stylesheet' id='login-css' href='/wp-admin/css/login.min.css?ver=6.5.3' media='all' /><meta name='referrer' content='strict-origin-when-cross-origin' />
</head><body class="login no-js login-action-login wp-core-ui  locale-en-us"><div id="login"><h1><a href="https://wordpress.org/">Powered by WordPress</a></h1>
<p class="message">You must be logged in to read this post.<br /></p>
<form name="loginform" id="loginform" action="/wp-login.php" method="post"><p><label for="user_login">Username or Email Address</label>
<input type="text" name="log" id="user_login" class="input" value="" size="20" autocapitalize="off" autocomplete="username" required="required" /></p>
<div class="user-pass-wrap"><label for="user_pass">Password</label><div class="wp-pwd"><input type="password" name="pwd" id="user_pass"
class="input password-input" value="" size="20" autocomplete="current-password" spellcheck="false" required="required" /></div></div>
<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme" value="forever"  /> <label for="rememberme">Remember Me</label></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
<input type="hidden" name="redirect_to" value="/?p={rng.randint(1000, 99999)}" /><input type="hidden" name="testcookie" value="1" /></p></form>
<p id="nav"><a href="/wp-login.php?action=lostpassword">Lost your password?</a></p><p id="backtoblog"><a href="/">&larr; Go to {site}</a></p></div>
</body></html>"""


def substack_paywall(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=0, viewport-fit=cover">
<link rel="stylesheet" href="https://substackcdn.com/bundle/theme/main.{_hex(rng, 20)}.css"></head><body class="pc-root">
<div id="entry"><div class="paywall" data-testid="paywall"><div class="paywall-content"><h2 class="paywall-title">This post is for paid
subscribers</h2><div class="paywall-cta"><a class="button primary" href="/subscribe?simple=true&next=%2Fp%2F{_hex(rng, 6)}">Subscribe</a>
<div class="paywall-login">Already a paid subscriber? <a class="link" href="/account/login?redirect=%2Fp">Sign in</a></div></div></div></div></div>
<script>window._preloads = JSON.parse("{{\\"isEligibleForPaywall\\":true,\\"user\\":null}}")</script>
<script src="https://substackcdn.com/bundle/static/js/main.{_hex(rng, 20)}.js" async></script></body></html>"""


def piano_subscribe(site: str, rng: random.Random) -> str:
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Connectez-vous pour lire la suite | {site}</title>
<script src="https://experience.tinypass.com/xbuilder/experience/load?aid={_hex(rng, 10)}"></script></head><body>
<div class="site-header"><a href="/" class="logo">{site}</a><nav><a href="/abonnement">S'abonner</a> <a href="/connexion">Se connecter</a></nav></div>
<div class="tp-modal" style="display:block"><div class="tp-iframe-wrapper tp-active"><div class="piano-offer"><h2>Cet article est réservé aux abonnés</h2>
<p>Pour continuer votre lecture, connectez-vous ou abonnez-vous.</p><a class="btn" href="/connexion">Se connecter</a>
<a class="btn btn-primary" href="/abonnement">Je m'abonne — 1&nbsp;€ le premier mois</a></div></div></div>
<footer>© 2026 {site} — Tous droits réservés</footer></body></html>"""


def members_only(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Members only - {site}</title></head><body class="page">
<header class="site-header"><a class="site-title" href="/">{site}</a></header><main class="site-main"><div class="memberful-global-paywall">
<h1>Log in to keep reading</h1><p>Create a free account or log in to continue reading this story and get unlimited access.</p>
<form method="post" action="/account/sign_in"><label>Email <input type="email" name="email" autocomplete="email"></label>
<label>Password <input type="password" name="password"></label><button type="submit">Sign in</button></form>
<p>Not a member? <a href="/join">Join now</a> &middot; <a href="/account/password/new">Forgot password?</a></p></div></main>
<footer class="site-footer">© 2026 {site}</footer></body></html>"""


LOGIN_WALLS = [wordpress_login, substack_paywall, piano_subscribe, members_only]


def wordpress_maintenance(site: str, rng: random.Random) -> str:
    return ("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />"
            "<title>Maintenance</title></head><body><p>Briefly unavailable for scheduled maintenance. Check back in a minute."
            "</p></body></html>")


def well_be_back(site: str, rng: random.Random) -> str:
    return f"""<!doctype html><title>Site Maintenance</title><style>body {{ text-align: center; padding: 150px; }} h1 {{ font-size: 50px; }}
body {{ font: 20px Helvetica, sans-serif; color: #333; }} article {{ display: block; text-align: left; width: 650px; margin: 0 auto; }}</style>
<article><h1>We&rsquo;ll be back soon!</h1><div><p>Sorry for the inconvenience but we&rsquo;re performing some maintenance at the moment.
If you need to you can always <a href="mailto:webmaster@{site.lower().replace(' ', '')}">contact us</a>, otherwise we&rsquo;ll be back online shortly!</p>
<p>&mdash; The {site} Team</p></div></article>"""


def nginx_upstream_maintenance(site: str, rng: random.Random) -> str:
    return """<html>
<head><title>Service Temporarily Unavailable</title></head>
<body>
<center><h1>Service Temporarily Unavailable</h1></center>
<center>The server is temporarily unable to service your request due to maintenance downtime.</center>
<hr><center>nginx</center>
</body>
</html>
"""


def seedprod_mode(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8"><title>{site} &#8211; Wartungsmodus</title>
<meta name="robots" content="noindex,nofollow"><link rel="stylesheet" href="/wp-content/plugins/coming-soon/public/css/tailwind.min.css"></head>
<body class="spmm"><div id="sp-page" class="spBgcover sp-content-4"><section id="sp-{_hex(rng, 5)}" class="sp-el-section"><div class="sp-el-row">
<div class="sp-el-col"><h1 class="sp-css-target sp-el-block">Wir sind gleich zurück</h1><div class="sp-css-target sp-text-wrapper">
<p>Unsere Website wird gerade gewartet. Bitte schauen Sie in Kürze wieder vorbei.</p></div><div class="sp-countdown" data-end="2026-07-03T06:00"></div>
</div></div></section></div><script src="/wp-content/plugins/coming-soon/public/js/sp-scripts.min.js"></script></body></html>"""


def drupal_offline(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="es" dir="ltr"><head><meta charset="utf-8" /><title>Sitio en mantenimiento | {site}</title>
<link rel="stylesheet" media="all" href="/core/themes/stable9/css/system/components/ajax-progress.module.css" /></head>
<body class="maintenance-page in-maintenance"><div class="layout-container"><header role="banner"><a href="/" rel="home">{site}</a></header>
<main role="main"><h1 class="page-title">Sitio en mantenimiento</h1><div class="messages">{site} se encuentra en mantenimiento en este
momento. Volveremos a estar en línea en breve. Gracias por su paciencia.</div></main></div></body></html>"""


MAINTENANCE = [wordpress_maintenance, well_be_back, nginx_upstream_maintenance, seedprod_mode, drupal_offline]


def onetrust_wall(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{site}</title>
<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}" charset="UTF-8"></script>
</head><body><div id="onetrust-consent-sdk"><div class="onetrust-pc-dark-filter ot-fade-in"></div><div id="onetrust-banner-sdk"
class="otCenterRounded" role="dialog" aria-label="We value your privacy"><div class="ot-sdk-container"><div class="ot-sdk-row">
<div id="onetrust-group-container"><div id="onetrust-policy"><h2 id="onetrust-policy-title">We value your privacy</h2>
<div id="onetrust-policy-text">We and our 842 partners store and/or access information on a device, such as cookies, and process personal
data, such as unique identifiers and standard information sent by a device for personalised advertising and content, advertising and content
measurement, audience research and services development. <a href="/privacy-policy" class="ot-cookie-policy-link">Cookie Policy</a></div></div></div>
<div id="onetrust-button-group-parent"><div id="onetrust-button-group"><button id="onetrust-pc-btn-handler">Manage Preferences</button>
<button id="onetrust-reject-all-handler">Reject All</button><button id="onetrust-accept-btn-handler">Accept All Cookies</button></div></div>
</div></div></div></div><noscript>Please enable JavaScript to view this site.</noscript></body></html>"""


def didomi_wall(site: str, rng: random.Random) -> str:
    return f"""<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{site}</title>
<script type="text/javascript">window.didomiConfig={{app:{{apiKey:'{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}'}}}};</script>
<script src="https://sdk.privacy-center.org/loader.js" async></script></head><body class="didomi-popup-open"><div id="didomi-host">
<div class="didomi-popup-backdrop didomi-notice-popup"><div class="didomi-popup-container"><div id="didomi-notice" class="didomi-popup-notice">
<div class="didomi-popup-notice-text"><h1 id="didomi-notice-title">Il rispetto della tua privacy è la nostra priorità</h1>
<p>Noi e i nostri partner utilizziamo cookie o tecnologie simili per archiviare e accedere a informazioni personali come la tua visita a questo
sito. Puoi revocare il tuo consenso in qualsiasi momento.</p></div><div class="didomi-notice-buttons"><button id="didomi-notice-learn-more-button">
Scopri di più e personalizza</button><button id="didomi-notice-disagree-button">Rifiuta</button><button id="didomi-notice-agree-button">
Accetta e chiudi</button></div></div></div></div></div></body></html>"""


def quantcast_choice(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{site}</title>
<script async src="https://cmp.inmobi.com/choice/{_hex(rng, 14)}/{site.lower().replace(' ', '')}/choice.js?tag_version=V3"></script></head>
<body><div id="qc-cmp2-container" data-nosnippet=""><div class="qc-cmp2-summary-section"><div class="qc-cmp2-consent-info">
<h2>We value your privacy</h2><div class="qc-cmp2-summary-info"><p>We and our partners store and/or access information on a device, such as
cookies and process personal data, such as unique identifiers and standard information sent by a device for personalised ads and content, ad and
content measurement, and audience insights, as well as to develop and improve products.</p><p>With your permission we and our partners may use
precise geolocation data and identification through device scanning.</p></div></div><div class="qc-cmp2-summary-buttons">
<button mode="secondary" size="large">MORE OPTIONS</button><button mode="secondary" size="large">DISAGREE</button>
<button mode="primary" size="large">AGREE</button></div></div></div></body></html>"""


def cookiewall_de(site: str, rng: random.Random) -> str:
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Datenschutzeinstellungen - {site}</title></head>
<body><main class="consent-wall"><div class="sp_message_container"><div class="message-component"><h1>Mit Werbung oder im Abo lesen</h1>
<p>Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Inhalte und Anzeigen zu personalisieren, Funktionen für soziale Medien
anzubieten und die Zugriffe auf unsere Website zu analysieren. Wenn Sie zustimmen, können Sie {site} wie gewohnt mit Werbung nutzen.</p>
<button class="message-button sp_choice_type_11" title="Zustimmen und weiter">Zustimmen und weiter</button>
<button class="message-button sp_choice_type_12" title="Einstellungen">Einstellungen oder ablehnen</button>
<a href="/abo" class="pur-link">Werbefrei lesen für 2,99&nbsp;€ im Monat</a></div></div></main>
<script src="https://cdn.privacy-mgmt.com/unified/wrapperMessagingWithoutDetection.js"></script></body></html>"""


CONSENT_WALLS = [onetrust_wall, didomi_wall, quantcast_choice, cookiewall_de]

# (title, heading, text) of 404 pages as themes word them, in their languages
NOT_FOUND_TEXTS = [
    ("Page not found", "Oops! That page can&rsquo;t be found.",
     "It looks like nothing was found at this location. Maybe try one of the links below or a search?"),
    ("Nothing Found", "Nothing Found", "Sorry, but nothing matched your search terms. Please try again with some different keywords."),
    ("404 Not Found", "404 — Page Not Found",
     "The page you requested could not be found. It may have been moved, renamed or deleted."),
    ("Seite nicht gefunden", "Seite nicht gefunden",
     "Die angeforderte Seite existiert leider nicht. Vielleicht hilft Ihnen die Suche weiter."),
    ("Página no encontrada", "¡Vaya! No se puede encontrar esa página.",
     "Parece que no hay nada en esta ubicación. ¿Quizá quieras probar con una búsqueda?"),
]
