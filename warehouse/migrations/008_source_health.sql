-- Wirehouse warehouse, source health. One row per run and source with the figures that reveal a source
-- breaking (volume, failures, parsers, empty bodies, bylines, dates, comments, selectors, latency, HTTP statuses,
-- discovery channels) and the status the rules in tasks/health/rules.py gave them; a view puts each row beside
-- the source's own trailing baseline. Alert targets are configured by environment, never stored here.

CREATE TABLE source_health (
    run_id                   VARCHAR     NOT NULL,
    source                   VARCHAR     NOT NULL,
    flow                     VARCHAR     NOT NULL,
    started_at               TIMESTAMPTZ NOT NULL,
    finished_at              TIMESTAMPTZ,
    window_days              DOUBLE      NOT NULL,
    discovered               INTEGER     NOT NULL,
    retried                  INTEGER     NOT NULL,
    attempted                INTEGER     NOT NULL,
    fetched                  INTEGER     NOT NULL,
    not_modified             INTEGER     NOT NULL,
    failed                   INTEGER     NOT NULL,
    failed_permanent         INTEGER     NOT NULL,
    failed_transient         INTEGER     NOT NULL,
    failures_by_reason       MAP(VARCHAR, INTEGER) NOT NULL,
    articles                 INTEGER     NOT NULL,
    articles_by_parser       MAP(VARCHAR, INTEGER) NOT NULL,
    generic_fallback         INTEGER     NOT NULL,
    empty_bodies             INTEGER     NOT NULL,
    implausible_bodies       INTEGER     NOT NULL,
    bodies_checked           INTEGER     NOT NULL,
    no_author                INTEGER     NOT NULL,
    no_date                  INTEGER     NOT NULL,
    threads_advertised       INTEGER     NOT NULL,
    threads_advertised_empty INTEGER     NOT NULL,
    comments_advertised      INTEGER     NOT NULL,
    comments_found           INTEGER     NOT NULL,
    requests                 INTEGER     NOT NULL,
    requests_per_article     DOUBLE,
    latency_median_ms        DOUBLE,
    latency_p95_ms           DOUBLE,
    status_mix               MAP(VARCHAR, INTEGER) NOT NULL,
    selectors                STRUCT(field VARCHAR, selector VARCHAR, pages INTEGER, matched INTEGER)[] NOT NULL,
    channels                 STRUCT(url VARCHAR, role VARCHAR, requests INTEGER, failures INTEGER, status INTEGER,
                                    reason VARCHAR)[] NOT NULL,
    status                   VARCHAR,
    reasons                  STRUCT(code VARCHAR, subject VARCHAR, severity VARCHAR, message VARCHAR,
                                    since TIMESTAMPTZ, figure DOUBLE)[],
    alert                    VARCHAR,
    PRIMARY KEY (run_id, source)
);
COMMENT ON TABLE source_health IS 'What each run saw of each source (one row per run and source) and the health status the rules gave it: ok, degraded or broken, with reasons. `wirehouse health` reads it.';
COMMENT ON COLUMN source_health.run_id IS 'The run (runs.run_id).';
COMMENT ON COLUMN source_health.source IS 'Source name (sources.name).';
COMMENT ON COLUMN source_health.flow IS 'Flow of the run (nightly, backfill); a source is judged against earlier runs of the same flow.';
COMMENT ON COLUMN source_health.started_at IS 'When the run started reading this source (UTC).';
COMMENT ON COLUMN source_health.finished_at IS 'When it finished reading this source (UTC).';
COMMENT ON COLUMN source_health.window_days IS 'Days of publication windows discovered, summed: volume is compared per day.';
COMMENT ON COLUMN source_health.discovered IS 'Targets the discovery channels listed (volume; earlier failures retried are not counted).';
COMMENT ON COLUMN source_health.retried IS 'Earlier failed targets retried in this run.';
COMMENT ON COLUMN source_health.attempted IS 'Targets asked for: answered with content, answered 304, or failed to fetch.';
COMMENT ON COLUMN source_health.fetched IS 'Targets answered with content.';
COMMENT ON COLUMN source_health.not_modified IS 'Targets answered 304 Not Modified.';
COMMENT ON COLUMN source_health.failed IS 'Targets that failed to fetch, parse, normalize or pass the plausibility gate (a target fails once).';
COMMENT ON COLUMN source_health.failed_permanent IS 'Failed targets whose reason will not change soon (404, 403, robots, unparseable...).';
COMMENT ON COLUMN source_health.failed_transient IS 'Failed targets with a passing reason (5xx, 429, timeouts, connection errors).';
COMMENT ON COLUMN source_health.failures_by_reason IS 'Failures by reason (failures.reason), comment channels included: failures_by_reason[''http_404''].';
COMMENT ON COLUMN source_health.articles IS 'Articles parsed.';
COMMENT ON COLUMN source_health.articles_by_parser IS 'Articles by the parser that read them (wordpress_rest, site_html, generic).';
COMMENT ON COLUMN source_health.generic_fallback IS 'Articles whose body the generic extractor supplied: no body selector declared, or the declared one found no text.';
COMMENT ON COLUMN source_health.empty_bodies IS 'Articles with an empty body (fewer than 10 words).';
COMMENT ON COLUMN source_health.implausible_bodies IS 'Articles whose body the plausibility gate found implausible.';
COMMENT ON COLUMN source_health.bodies_checked IS 'Articles the plausibility gate looked at.';
COMMENT ON COLUMN source_health.no_author IS 'Articles without any author.';
COMMENT ON COLUMN source_health.no_date IS 'Articles without a publication date.';
COMMENT ON COLUMN source_health.threads_advertised IS 'Articles whose feed or page advertised at least one comment (threads that were read).';
COMMENT ON COLUMN source_health.threads_advertised_empty IS 'Of those, articles on which no comment was found.';
COMMENT ON COLUMN source_health.comments_advertised IS 'Comments advertised on those articles, summed.';
COMMENT ON COLUMN source_health.comments_found IS 'Comments found on all articles of the run.';
COMMENT ON COLUMN source_health.requests IS 'HTTP requests for the articles (pages, REST posts, comment pages); discovery not counted.';
COMMENT ON COLUMN source_health.requests_per_article IS 'requests / articles; NULL without articles.';
COMMENT ON COLUMN source_health.latency_median_ms IS 'Median response time of those requests (ms).';
COMMENT ON COLUMN source_health.latency_p95_ms IS '95th percentile response time of those requests (ms).';
COMMENT ON COLUMN source_health.status_mix IS 'Those requests by HTTP status (''200'', ''304'', ''404''...; ''0'' = no response).';
COMMENT ON COLUMN source_health.selectors IS 'Each selector the source declares: pages it was tried on and pages where it matched.';
COMMENT ON COLUMN source_health.channels IS 'Each discovery channel (URL without query): requests, failures, and the status and reason of the last failure.';
COMMENT ON COLUMN source_health.status IS 'ok, degraded or broken (tasks/health/rules.py); NULL only inside the run''s own transaction.';
COMMENT ON COLUMN source_health.reasons IS 'Why not ok: code, subject (a selector field, a channel URL), severity, a sentence, since when (start of the streak of runs with this reason), and the figure behind it (0..1, higher is worse).';
COMMENT ON COLUMN source_health.alert IS 'Alert this run decided: degraded, broken or recovered; NULL when nothing changed.';

-- Each run beside its source's normal: earlier runs of the same source and flow in the 28 days before it,
-- broken ones left out (a dead week must not become the normal), and the same for runs on the same weekday.
-- Shares are pooled (sum over sum), so a big run weighs more than a small one. The 28 days are BASELINE_DAYS
-- in tasks/health/rules.py.
CREATE VIEW source_health_baseline AS
SELECT
    run_id,
    source,
    flow,
    started_at,
    status,
    count(*) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w AS baseline_runs,
    sum(discovered) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(window_days) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0) AS discovered_per_day,
    min(discovered / nullif(window_days, 0)) FILTER (WHERE status = 'ok') OVER w AS min_ok_discovered_per_day,
    count(*) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER same_weekday AS weekday_runs,
    sum(discovered) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER same_weekday
        / nullif(sum(window_days) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER same_weekday, 0)
        AS weekday_discovered_per_day,
    sum(failed) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(attempted) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0)
        AS failure_share,
    sum(empty_bodies) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(articles) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0) AS empty_share,
    sum(implausible_bodies) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(bodies_checked) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0) AS implausible_share,
    sum(no_author) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(articles) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0) AS no_author_share,
    sum(no_date) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(articles) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0) AS no_date_share,
    sum(threads_advertised_empty) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w
        / nullif(sum(threads_advertised) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w, 0)
        AS advertised_empty_share,
    avg(latency_p95_ms) FILTER (WHERE status IS DISTINCT FROM 'broken') OVER w AS latency_p95_ms
FROM source_health
WINDOW w AS (PARTITION BY source, flow ORDER BY started_at
             RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW),
       same_weekday AS (PARTITION BY source, flow, isodow(started_at) ORDER BY started_at
                        RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW);
COMMENT ON VIEW source_health_baseline IS 'Each source_health row beside its source''s trailing baseline: earlier runs of the same source and flow in the 28 days before it, broken runs left out; shares pooled over those runs.';
COMMENT ON COLUMN source_health_baseline.run_id IS 'The run (source_health.run_id).';
COMMENT ON COLUMN source_health_baseline.source IS 'Source name.';
COMMENT ON COLUMN source_health_baseline.flow IS 'Flow of the run; the baseline holds runs of the same flow only.';
COMMENT ON COLUMN source_health_baseline.started_at IS 'When the run started reading the source (UTC).';
COMMENT ON COLUMN source_health_baseline.status IS 'The run''s own status.';
COMMENT ON COLUMN source_health_baseline.baseline_runs IS 'Earlier runs in the baseline (not broken, last 28 days).';
COMMENT ON COLUMN source_health_baseline.discovered_per_day IS 'Targets discovered per day of window over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.min_ok_discovered_per_day IS 'The lowest targets per day of window among the baseline runs that were ok (a quiet Sunday).';
COMMENT ON COLUMN source_health_baseline.weekday_runs IS 'Baseline runs on the same day of the week (UTC) as this one.';
COMMENT ON COLUMN source_health_baseline.weekday_discovered_per_day IS 'Targets discovered per day of window over the baseline runs on the same day of the week: news has a weekly rhythm.';
COMMENT ON COLUMN source_health_baseline.failure_share IS 'Failed targets / attempted targets over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.empty_share IS 'Empty bodies / articles over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.implausible_share IS 'Implausible bodies / bodies checked over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.no_author_share IS 'Articles without author / articles over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.no_date_share IS 'Articles without date / articles over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.advertised_empty_share IS 'Threads advertised but found empty / threads advertised over the baseline runs.';
COMMENT ON COLUMN source_health_baseline.latency_p95_ms IS 'Average of the baseline runs'' 95th percentile latency (ms).';
