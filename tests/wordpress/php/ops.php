<?php
// Changes a site through WordPress's own PHP API, the way an editor and readers would: one operation after
// another from a JSON list. Objects get a key in the input; later operations name them by that key.
// Input:  {"refs": {key: id, ...}, "ops": [{"op": ..., "key": ..., ...}, ...]}
// Answer: {"refs": {key: id}, "links": {post key: permalink}}, on the last line of stdout.
require __DIR__ . '/boot.php';

wp_set_current_user(1);  // the admin from the install: editors' rights, as when writing in wp-admin

$refs = $wirehouse_input['refs'];

/** The id behind a key, failing loudly on a key no earlier operation made. */
function wirehouse_ref(array $refs, ?string $key): int {
    if ($key === null) {
        return 0;
    }
    if (!isset($refs[$key])) {
        wirehouse_fail('unknown key', $key);
    }
    return $refs[$key];
}

/** WordPress keeps every date twice, in the site's zone and in UTC; we are given UTC. */
function wirehouse_dates(string $gmt): array {
    return ['local' => get_date_from_gmt($gmt), 'gmt' => $gmt];
}

function wirehouse_term_ids(array $names, string $taxonomy): array {
    $ids = [];
    foreach ($names as $name) {
        $term = term_exists($name, $taxonomy) ?: wp_insert_term($name, $taxonomy);
        if (is_wp_error($term)) {
            wirehouse_fail("cannot create $taxonomy $name", $term);
        }
        $ids[] = (int) $term['term_id'];
    }
    return $ids;
}

/** Makes the next post save record this modification time instead of the clock's. */
function wirehouse_modified_at(?string $gmt): void {
    remove_all_filters('wp_insert_post_data');
    if ($gmt !== null) {
        add_filter('wp_insert_post_data', function (array $data) use ($gmt): array {
            $data['post_modified_gmt'] = $gmt;
            $data['post_modified'] = get_date_from_gmt($gmt);
            return $data;
        });
    }
}

function wirehouse_apply(array $op, array &$refs): void {
    switch ($op['op']) {
        case 'user':
            $id = wp_insert_user([
                'user_login' => $op['login'],
                'user_pass' => wp_generate_password(),
                'user_email' => $op['login'] . '@example.invalid',
                'display_name' => $op['name'],
                'first_name' => $op['first_name'],
                'last_name' => $op['last_name'],
                'description' => $op['bio'] ?? '',
                'role' => 'author',
            ]);
            if (is_wp_error($id)) {
                wirehouse_fail('cannot create user ' . $op['login'], $id);
            }
            $refs[$op['key']] = $id;
            return;
        case 'post':
            // As in the editor: an auto-draft first (so the guid is the `?p=ID` link, as on real sites),
            // then saved with its content and an explicitly chosen date.
            $draft = wp_insert_post(['post_type' => $op['type'] ?? 'post', 'post_status' => 'auto-draft',
                                     'post_title' => 'Auto Draft',
                                     'post_author' => wirehouse_ref($refs, $op['author'])], true);
            if (is_wp_error($draft)) {
                wirehouse_fail('cannot start post ' . $op['key'], $draft);
            }
            $date = wirehouse_dates($op['date_gmt']);
            wirehouse_modified_at($op['modified_gmt'] ?? $op['date_gmt']);  // written once, then never edited
            $id = wp_update_post([
                'ID' => $draft,
                'edit_date' => true,
                'post_type' => $op['type'] ?? 'post',
                'post_status' => $op['status'] ?? 'publish',
                'post_title' => $op['title'],
                'post_name' => $op['slug'],
                'post_content' => $op['content'],
                'post_excerpt' => $op['excerpt'] ?? '',
                'post_author' => wirehouse_ref($refs, $op['author']),
                'post_date' => $date['local'],
                'post_date_gmt' => $date['gmt'],
                'comment_status' => $op['comment_status'] ?? 'open',
                'ping_status' => 'closed',
                'post_category' => wirehouse_term_ids($op['categories'] ?? [], 'category'),
                'tags_input' => $op['tags'] ?? [],
            ], true);
            if (is_wp_error($id)) {
                wirehouse_fail('cannot create post ' . $op['key'], $id);
            }
            $refs[$op['key']] = $id;
            return;
        case 'edit_post':
            wirehouse_modified_at($op['modified_gmt']);
            $changes = ['ID' => wirehouse_ref($refs, $op['key'])];
            foreach (['title' => 'post_title', 'content' => 'post_content', 'comment_status' => 'comment_status']
                     as $field => $column) {
                if (array_key_exists($field, $op)) {
                    $changes[$column] = $op[$field];
                }
            }
            $id = wp_update_post($changes, true);
            if (is_wp_error($id)) {
                wirehouse_fail('cannot edit post ' . $op['key'], $id);
            }
            wirehouse_modified_at(null);
            return;
        case 'comment':
            $date = wirehouse_dates($op['date_gmt']);
            $user = wirehouse_ref($refs, $op['user'] ?? null);
            $id = wp_insert_comment([
                'comment_post_ID' => wirehouse_ref($refs, $op['post']),
                'comment_parent' => wirehouse_ref($refs, $op['parent'] ?? null),
                'comment_author' => $op['author'],
                'comment_author_email' => $op['email'] ?? '',
                'comment_author_url' => $op['url'] ?? '',
                'comment_content' => $op['text'],
                'comment_date' => $date['local'],
                'comment_date_gmt' => $date['gmt'],
                'comment_approved' => $op['approved'] ?? 1,
                'comment_type' => $op['type'] ?? 'comment',
                'user_id' => $user,
            ]);
            if (!$id) {
                wirehouse_fail('cannot create comment ' . $op['key']);
            }
            $refs[$op['key']] = $id;
            return;
        case 'moderate':  // what a moderator does to a published comment: hold, spam, trash or delete it
            $id = wirehouse_ref($refs, $op['key']);
            $done = match ($op['action']) {
                'hold' => wp_set_comment_status($id, 'hold'),
                'spam' => wp_spam_comment($id),
                'trash' => wp_trash_comment($id),
                'delete' => wp_delete_comment($id, true),
            };
            if (!$done) {
                wirehouse_fail('cannot ' . $op['action'] . ' comment ' . $op['key']);
            }
            return;
        default:
            wirehouse_fail('unknown operation', $op['op']);
    }
}

foreach ($wirehouse_input['ops'] as $op) {
    wirehouse_apply($op, $refs);
}

$links = [];
foreach ($refs as $key => $id) {
    $post = get_post($id);
    if (str_starts_with($key, 'post:') && $post !== null) {
        $links[$key] = get_permalink($post);
    }
}
echo json_encode(['refs' => $refs, 'links' => $links], JSON_UNESCAPED_SLASHES), "\n";
