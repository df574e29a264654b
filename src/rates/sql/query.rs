//! The query that prices a log with the table, per engine: the same steps in each, in that
//! engine's functions. A call is read as `stabcost usage` reads it (`src/usage/tally.rs`):
//! its UTC day from RFC 3339 text, a bare date or Unix seconds; its API path with a URL's
//! scheme and host, a query string and one trailing slash dropped (`src/rates/path.rs`);
//! its model, or its `service` when it gives no endpoint, in any case; 2xx or no status
//! is charged. A call no row prices is left out, as `usage` leaves it unpriced.

use super::Dialect;

/// The engine's pieces of the query.
struct Parts {
    /// `ts` (text) → its UTC day: Unix seconds (no `-` after the year), a bare date, a
    /// time in UTC (`…Z`, the common case, whose day is its first ten characters), or a
    /// time at any offset.
    day: &'static str,
    /// The regular-expression replacement that reduces `endpoint` to its path.
    path: &'static str,
    int: &'static str,
    /// `x` (text) matches the regular expression `re`.
    matches: fn(x: &str, re: &str) -> String,
    /// What the session must be set to, for the header.
    settings: &'static str,
    /// A condition that stops the query when the session is not set so.
    guard: &'static str,
}

fn parts(dialect: Dialect) -> Parts {
    match dialect {
        Dialect::DuckDb => Parts {
            day: "CASE WHEN substr(ts, 5, 1) <> '-'
                THEN DATE '1970-01-01' + CAST(CAST(split_part(ts, '.', 1) AS BIGINT) // 86400 AS INTEGER)
                WHEN length(ts) = 10 OR ts LIKE '%Z' THEN CAST(substr(ts, 1, 10) AS DATE)
                ELSE CAST(timezone('UTC', CAST(ts AS TIMESTAMPTZ)) AS DATE) END",
            path: "regexp_replace(nullif(endpoint, ''), '^[^:]*://[^/]*|/?([?#].*)?$', '', 'g')",
            int: "INTEGER",
            matches: |x, re| format!("regexp_matches({x}, '{re}')"),
            settings: "\
-- Session settings: none. Days are UTC whatever the session's TimeZone.
",
            guard: "",
        },
        Dialect::Postgres => Parts {
            day: "CASE WHEN substr(ts, 5, 1) <> '-'
                THEN DATE '1970-01-01' + CAST(CAST(split_part(ts, '.', 1) AS BIGINT) / 86400 AS INTEGER)
                WHEN length(ts) = 10 OR ts LIKE '%Z' THEN CAST(substr(ts, 1, 10) AS DATE)
                ELSE CAST(CAST(ts AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS DATE) END",
            path: "regexp_replace(nullif(endpoint, ''), '^[^:]*://[^/]*|/?([?#].*)?$', '', 'g')",
            int: "INTEGER",
            matches: |x, re| format!("{x} ~ '{re}'"),
            settings: "\
-- Session settings: none. Days are UTC whatever the session's TimeZone.
",
            guard: "",
        },
        Dialect::Spark => Parts {
            day: "CASE WHEN substr(ts, 5, 1) <> '-'
                THEN date_from_unix_date(CAST(CAST(substring_index(ts, '.', 1) AS BIGINT) DIV 86400 AS INT))
                WHEN length(ts) = 10 OR ts LIKE '%Z' THEN CAST(substr(ts, 1, 10) AS DATE)
                ELSE date_from_unix_date(CAST(unix_seconds(CAST(ts AS TIMESTAMP)) DIV 86400 AS INT)) END",
            path: "regexp_replace(nullif(endpoint, ''), '^[^:]*://[^/]*|/?([?#].*)?$', '')",
            int: "INT",
            matches: |x, re| format!("{x} RLIKE '{re}'"),
            settings: "\
-- Session settings: spark.sql.decimalOperations.allowPrecisionLoss=false (SET it, or pass
-- it with --conf). With Spark's default, true, a price times a price is rounded to 6
-- decimals, so the query stops with an error unless it is false. Days are UTC whatever
-- spark.sql.session.timeZone is.
",
            guard: "
      AND assert_true(typeof(CAST(1 AS DECIMAL(20,10)) * CAST(1 AS DECIMAL(20,10))) = 'decimal(38,20)',
              'set spark.sql.decimalOperations.allowPrecisionLoss=false: Spark rounds decimals otherwise') IS NULL",
        },
        Dialect::BigQuery => Parts {
            day: "CASE WHEN SUBSTR(ts, 5, 1) <> '-'
                THEN DATE_FROM_UNIX_DATE(DIV(CAST(SPLIT(ts, '.')[OFFSET(0)] AS INT64), 86400))
                WHEN LENGTH(ts) = 10 OR ts LIKE '%Z' THEN CAST(SUBSTR(ts, 1, 10) AS DATE)
                ELSE DATE(TIMESTAMP(ts), 'UTC') END",
            path: "REGEXP_REPLACE(NULLIF(endpoint, ''), r'^[^:]*://[^/]*|/?([?#].*)?$', '')",
            int: "INT64",
            matches: |x, re| format!("REGEXP_CONTAINS(CAST({x} AS STRING), r'{re}')"),
            settings: "\
-- Run it as GoogleSQL (bq query --use_legacy_sql=false). Days are UTC.
",
            guard: "",
        },
    }
}

/// The query for `dialect`, with the table named `table` (`name` as written in the SQL).
pub(super) fn render(dialect: Dialect, table: &str, name: &str) -> String {
    let Parts {
        day,
        path,
        int,
        matches,
        settings,
        guard,
    } = parts(dialect);
    // As `usage` reads them: a status of three digits, steps and samples of one to five
    // (a value it cannot read is 0 here, which no card prices).
    let small = |x: &str| {
        format!(
            "CASE WHEN {} THEN CAST({x} AS {int}) WHEN {x} IS NOT NULL THEN 0 END",
            matches(x, "^[0-9]{1,5}$")
        )
    };
    let (steps, samples, charged) = (
        small("steps"),
        small("samples"),
        matches("status", "^2[0-9][0-9]$"),
    );
    let mut command = format!("stabcost rates --format sql --dialect {}", dialect.arg());
    if table != super::TABLE {
        command.push_str(" --table ");
        command.push_str(table);
    }
    let version = env!("CARGO_PKG_VERSION");
    let engine = dialect.name();
    format!(
        "\
-- stabcost {version}: the query, for {engine}, as
-- `{query}` writes it.
-- It prices the calls in the view `calls` with the table {table}, which
-- `{command}` writes,
-- as `stabcost usage --group-by service` does: for each service, the calls charged, their
-- credits and their dollars, each call by the card of its UTC day. A call no row prices
-- is left out, as `usage` reports it unpriced.
-- `calls` has a row per logged call. Each column is text, as logged (a JSON number too):
--   ts        RFC 3339 (any offset), a date, or Unix seconds. NULL: undated, priced as
--             made on the table's undated_day (by the newest card)
--   endpoint  the API path or full URL called. NULL or '': the call names its service
--   model     on a path several services share (the sd3 endpoint): the model, any case.
--             NULL or '': the path's default model, if it has one
--   service   for a call with no endpoint: the service's id or alias, any case
--   status    the HTTP status: 2xx is charged, and NULL
--   steps     diffusion steps, for a step-scaled service. NULL: its default
--   samples   images per call, for a per-image price. NULL: 1
-- A status, steps or samples that is not a whole number leaves the call out, as `usage`
-- counts it malformed. A time the engine cannot read stops the query.
{settings}WITH c AS (
    SELECT {day} AS call_day,
           {path} AS path,
           CASE WHEN nullif(endpoint, '') IS NULL THEN lower(service)
                ELSE coalesce(lower(model), '') END AS name,
           {steps} AS steps,
           coalesce({samples}, 1) AS samples
    FROM calls
    WHERE status IS NULL OR {charged}
), matched AS (
    -- The row of the call's path (and, on a shared path, of its model, '' for none). A
    -- call with no endpoint matches the rows with none by its service's name ('?' is in
    -- no path).
    SELECT p.service, p.credits, p.step_credits, p.steps_included, p.steps_min, p.steps_max,
           p.per_sample, p.credit_usd, p.effective_from, p.effective_until, p.sold_until,
           coalesce(c.call_day, p.undated_day) AS call_day,
           coalesce(c.steps, p.steps_default) AS steps,
           c.samples
    FROM c
    JOIN {name} AS p
      ON coalesce(p.endpoint, '?') = coalesce(c.path, '?')
     AND (p.name IS NULL OR p.name = c.name)
), priced AS (
    -- The card in force on the call's day, a service still sold then, steps it takes.
    SELECT service, credit_usd,
           CASE WHEN steps > steps_included
                THEN credits + step_credits * (steps - steps_included) ELSE credits END
           * CASE WHEN per_sample THEN samples ELSE 1 END AS credits
    FROM matched
    WHERE (effective_from IS NULL OR call_day >= effective_from)
      AND (effective_until IS NULL OR call_day <= effective_until)
      AND (sold_until IS NULL OR call_day <= sold_until)
      AND (steps_included IS NULL OR (steps BETWEEN steps_min AND steps_max AND steps <= 65535))
      AND (NOT per_sample OR samples BETWEEN 1 AND 65535){guard}
)
SELECT service, count(*) AS calls, sum(credits) AS credits, sum(credits * credit_usd) AS usd
FROM priced
GROUP BY service
ORDER BY service;
",
        query = command.replacen("--format sql", "--format sql --query", 1),
    )
}
