<?php
// Shared start of the command-line helpers: `php HELPER.php DOCROOT BASE_URL < input.json`.
// Reads the JSON input, then loads the WordPress at DOCROOT as a request to BASE_URL would, at global scope
// (WordPress keeps its state in globals). Errors go to stderr; a helper prints its JSON answer last.
if ($argc < 3) {
    fwrite(STDERR, "usage: php " . basename($argv[0]) . " DOCROOT BASE_URL < input.json\n");
    exit(2);
}
$wirehouse_docroot = rtrim($argv[1], '/');
$wirehouse_url = parse_url($argv[2]);
$wirehouse_input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);

$_SERVER['HTTP_HOST'] = $wirehouse_url['host'] . ':' . $wirehouse_url['port'];
$_SERVER['SERVER_NAME'] = $wirehouse_url['host'];
$_SERVER['SERVER_PORT'] = (string) $wirehouse_url['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

/** Stops the helper with one line on stderr that says what WordPress refused. */
function wirehouse_fail(string $what, $error = null): void {
    $detail = $error instanceof WP_Error ? $error->get_error_message() : (string) $error;
    fwrite(STDERR, "wordpress helper: $what" . ($detail === '' ? '' : ": $detail") . "\n");
    exit(1);
}

if (defined('WP_INSTALLING')) {
    // WordPress needs its database to exist before it loads; its installer assumes a host made it.
    $mysql = new mysqli('localhost', 'root', '', '', 0, $wirehouse_input['socket']);
    $mysql->query('CREATE DATABASE IF NOT EXISTS `' . $mysql->real_escape_string($wirehouse_input['database'])
        . '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    $mysql->close();
}

require $wirehouse_docroot . '/wp-load.php';
