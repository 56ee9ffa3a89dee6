<?php
// Router for PHP's built-in server doing what WordPress's .htaccess does under Apache:
//   RewriteCond %{REQUEST_FILENAME} !-f
//   RewriteCond %{REQUEST_FILENAME} !-d
//   RewriteRule . /index.php [L]
// Real files and directories are served as they are; every other path (pretty permalinks, /wp-json/,
// /robots.txt, /feed/) goes to WordPress's front controller, which reads REQUEST_URI itself.
$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($path !== '/' && file_exists($root . $path)) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
chdir($root);
require $root . '/index.php';
