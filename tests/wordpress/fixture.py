"""A real WordPress on 127.0.0.1, from Debian's packages, for integration tests.

MariaDB (``mariadb-server-core``) is bootstrapped into a temporary directory and started with
``--skip-networking`` (a socket only); each site is a copy of Debian's unpacked ``wordpress`` package with its
own ``wp-config.php`` and database, installed through ``wp_install()`` and served by PHP's built-in server with
``php/router.php`` doing what WordPress's ``.htaccess`` does. ``make wordpress-deps`` installs the packages.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PHP_HELPERS = Path(__file__).resolve().parent / "php"
# where `make wordpress-deps` unpacks Debian's wordpress and theme packages
UNPACKED_WORDPRESS = REPO / ".venv" / "wordpress" / "usr" / "share" / "wordpress"
THEMES = ("twentytwentyone", "twentytwentythree")
STARTUP_TIMEOUT_SECONDS = 20.0
PHP_SERVER_WORKERS = 4  # the pipeline fetches concurrently; one PHP worker would serialise every request
# MariaDB's system tables, from mariadb-server-core: all a server needs to start and accept root.
SYSTEM_TABLES = ("mysql_system_tables.sql", "mysql_system_tables_data.sql")
MYSQL_SHARE = Path("/usr/share/mysql")


class WordPressUnavailable(RuntimeError):
    """Something the real WordPress needs is missing or would not start; the message is one line."""


@dataclass(frozen=True)
class Toolchain:
    php: str
    mariadbd: str
    wordpress: Path  # the unpacked /usr/share/wordpress, themes included


def find_toolchain() -> Toolchain:
    """The binaries and the WordPress tree, or WordPressUnavailable naming everything that is missing."""
    missing: list[str] = []
    php = shutil.which("php")
    if php is None:
        missing.append("php (Debian: php-cli)")
    elif subprocess.run([php, "-r", 'exit(extension_loaded("mysqli") ? 0 : 1);'], check=False).returncode:
        missing.append("PHP's mysqli extension (Debian: php-mysql)")
    mariadbd = shutil.which("mariadbd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if mariadbd is None or not all((MYSQL_SHARE / name).is_file() for name in SYSTEM_TABLES):
        missing.append("mariadbd (Debian: mariadb-server-core)")
    wordpress = Path(os.environ.get("WIREHOUSE_WORDPRESS_DIR", UNPACKED_WORDPRESS))
    if not (wordpress / "wp-settings.php").is_file():
        missing.append(f"WordPress and its themes unpacked at {wordpress} (Debian: wordpress, wordpress-theme-*)")
    else:
        missing.extend(f"the {theme} theme (Debian: wordpress-theme-{theme})" for theme in THEMES
                       if not (wordpress / "wp-content" / "themes" / theme).is_dir())
    if missing:
        raise WordPressUnavailable(
            "a real WordPress needs " + "; ".join(missing) + " — run `make wordpress-deps` as root"
        )
    assert php is not None and mariadbd is not None
    return Toolchain(php=php, mariadbd=mariadbd, wordpress=wordpress)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise WordPressUnavailable(f"{what} exited with {process.returncode}: {_tail(log)}")
        if ready():
            return
        time.sleep(0.05)
    raise WordPressUnavailable(f"{what} did not start within {STARTUP_TIMEOUT_SECONDS:.0f} s: {_tail(log)}")


def _tail(log: Path, lines: int = 3) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:]) or "(empty log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own session, with any workers it forked (PHP's server does)."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class MariaDB:
    """A throwaway MariaDB server reachable only through its socket, as root without a password."""

    mariadbd: str
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return self.directory / "mysqld.sock"

    def _base_args(self) -> list[str]:
        args = [self.mariadbd, "--no-defaults", f"--datadir={self.directory / 'data'}",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M", "--skip-log-bin"]
        return args + (["--user=root"] if os.geteuid() == 0 else [])

    def start(self) -> None:
        (self.directory / "data").mkdir(parents=True)
        log = self.directory / "mariadb.log"
        # the system tables, the way mariadb-install-db makes them (that script also wants the client package)
        bootstrap = "create database if not exists mysql;\nuse mysql;\nSET @auth_root_socket=NULL;\n" + "".join(
            (MYSQL_SHARE / name).read_text(encoding="utf-8") for name in SYSTEM_TABLES
        )
        with log.open("wb") as out:
            done = subprocess.run([*self._base_args(), "--bootstrap", "--log-warnings=0"], input=bootstrap.encode(),
                                  stdout=out, stderr=subprocess.STDOUT, check=False, timeout=60)
        if done.returncode:
            raise WordPressUnavailable(f"MariaDB bootstrap failed: {_tail(log)}")
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [*self._base_args(), "--skip-networking", f"--socket={self.socket}",
                 f"--pid-file={self.directory / 'mysqld.pid'}"],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        _wait_until(self._accepts, self.process, "MariaDB", log)

    def _accepts(self) -> bool:
        if not self.socket.exists():
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(self.socket))
            except OSError:
                return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


@dataclass
class WordPressSite:
    """One installed, running site: its URL, theme, and the ids of what the tests created in it."""

    toolchain: Toolchain
    docroot: Path
    base_url: str
    theme: str
    server: subprocess.Popen[bytes] | None = None
    refs: dict[str, int] = field(default_factory=dict)  # scenario key -> WordPress id
    links: dict[str, str] = field(default_factory=dict)  # post key -> permalink

    def php(self, helper: str, payload: dict[str, object]) -> dict[str, object]:
        """Run one of php/*.php against this site with a JSON payload; its JSON answer."""
        done = subprocess.run(
            [self.toolchain.php, "-d", "display_errors=stderr", "-d", "error_reporting=E_ALL & ~E_DEPRECATED",
             str(PHP_HELPERS / helper), str(self.docroot), self.base_url],
            input=json.dumps(payload).encode(), capture_output=True, check=False, timeout=120,
        )
        lines = done.stdout.decode(errors="replace").strip().splitlines()
        if done.returncode or not lines:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise WordPressUnavailable(f"php {helper} failed ({done.returncode}): {' | '.join(detail[-3:])}")
        answer: dict[str, object] = json.loads(lines[-1])
        return answer

    def apply(self, ops: list[dict[str, object]]) -> None:
        """Change the site through WordPress's API (php/ops.php); keys of new objects land in refs and links."""
        answer = self.php("ops.php", {"refs": self.refs, "ops": ops})
        self.refs = dict(answer["refs"])  # type: ignore[call-overload]
        self.links = dict(answer["links"])  # type: ignore[call-overload]


def _wp_config(database: str, mariadb: MariaDB, base_url: str) -> str:
    # Fixed salts: nothing here is secret, and a deterministic site is what the tests assert against.
    salts = "\n".join(
        f"define('{name}', 'wirehouse-test-{name.lower()}');"
        for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                     "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
    )
    return f"""<?php
// Written by tests/wordpress/fixture.py in place of Debian's wp-config.php (which reads /etc/wordpress).
define('DB_NAME', '{database}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{mariadb.socket}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', '{base_url}');
define('WP_SITEURL', '{base_url}');
// Nothing leaves the machine, and no request spawns background work: pages depend only on the content.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""


@dataclass
class WordPressHost:
    """The toolchain and one MariaDB server, from which any number of sites are made (one per theme)."""

    toolchain: Toolchain
    directory: Path
    mariadb: MariaDB

    @contextmanager
    def site(
        self, theme: str, options: dict[str, object], permalinks: str, name: str = ""
    ) -> Iterator[WordPressSite]:
        """An installed site in `theme`, served on a free loopback port until the block ends; `name` tells apart
        two sites of one theme (it names the site's folder and database)."""
        name = name or theme
        docroot = self.directory / f"site-{name}"
        shutil.copytree(self.toolchain.wordpress, docroot, symlinks=True)
        (docroot / "wp-config.php").unlink()  # Debian's reads /etc/wordpress; each site writes its own
        site = WordPressSite(self.toolchain, docroot, "", theme)
        try:
            self._serve(site, f"wp_{name}")
            site.php("install.php", {"socket": str(self.mariadb.socket), "database": f"wp_{name}",
                                     "title": "Wirehouse Test Wire", "theme": theme, "options": options,
                                     "permalinks": permalinks})
            yield site
        finally:
            if site.server is not None:
                _stop(site.server)
            shutil.rmtree(docroot, ignore_errors=True)

    def _serve(self, site: WordPressSite, database: str, attempts: int = 3) -> None:
        """Start PHP's server on a free port; the port is in the site's URLs, so wp-config names it."""
        log = self.directory / f"php-{database}.log"
        for attempt in range(1, attempts + 1):
            port = _free_port()
            site.base_url = f"http://127.0.0.1:{port}"
            (site.docroot / "wp-config.php").write_text(_wp_config(database, self.mariadb, site.base_url),
                                                        encoding="utf-8")
            with log.open("wb") as out:
                site.server = subprocess.Popen(
                    [self.toolchain.php, "-d", "display_errors=0", "-d", "log_errors=1", "-d", f"error_log={log}",
                     "-S", f"127.0.0.1:{port}", "-t", str(site.docroot), str(PHP_HELPERS / "router.php")],
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                    env={**os.environ, "PHP_CLI_SERVER_WORKERS": str(PHP_SERVER_WORKERS)},
                )
            try:
                _wait_until(partial(_listening, port), site.server, "PHP's built-in server", log)
                return
            except WordPressUnavailable:
                _stop(site.server)
                if attempt == attempts:  # another process may have taken the port between probe and bind
                    raise


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextmanager
def wordpress_host() -> Iterator[WordPressHost]:
    """Find the toolchain and start MariaDB; everything is removed again when the block ends."""
    toolchain = find_toolchain()
    # a short path: a unix socket path may not exceed ~100 bytes
    directory = Path(tempfile.mkdtemp(prefix="wirehouse-wp-"))
    mariadb = MariaDB(toolchain.mariadbd, directory / "mariadb")
    try:
        mariadb.start()
        yield WordPressHost(toolchain, directory, mariadb)
    finally:
        mariadb.stop()
        shutil.rmtree(directory, ignore_errors=True)
