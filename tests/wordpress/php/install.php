<?php
// Installs WordPress the way its installer does, by calling wp_install(), then sets the site up for the
// tests: options, permalinks, theme, and none of the default content (its dates would be the install's).
// Input: {"socket", "database", "title", "theme", "permalinks", "options": {name: value}}.
define('WP_INSTALLING', true);
require __DIR__ . '/boot.php';

// The installer mails the admin; there is no mail here, and nobody to read it.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$installed = wp_install($wirehouse_input['title'], 'admin', 'admin@example.invalid', true, '', 'admin-password');
if (empty($installed['user_id'])) {
    wirehouse_fail('wp_install did not create the admin user');
}
foreach ($wirehouse_input['options'] as $name => $value) {
    update_option($name, $value);
}
global $wp_rewrite;
$wp_rewrite->set_permalink_structure($wirehouse_input['permalinks']);
$wp_rewrite->flush_rules(false);

switch_theme($wirehouse_input['theme']);
if (get_stylesheet() !== $wirehouse_input['theme']) {
    wirehouse_fail('theme not available', $wirehouse_input['theme']);
}

foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1]) as $post) {
    wp_delete_post($post->ID, true);
}
update_option('wp_page_for_privacy_policy', 0);

echo json_encode(['theme' => get_stylesheet(), 'version' => get_bloginfo('version')]), "\n";
