//! AWS Backup schedule expressions: how long a `rate(…)` or `cron(…)` can leave between runs.

use std::collections::BTreeSet;

/// Minutes in a day.
pub const DAY: u64 = 1440;
/// The gap of a schedule limited to some years: after them it never runs again.
pub const NEVER: u64 = u64::MAX;
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A gap in the largest whole unit: `2 days`, `12 hours`, `90 minutes`.
pub fn describe_gap(minutes: u64) -> String {
    if minutes.is_multiple_of(DAY) {
        plural(minutes / DAY, "day")
    } else if minutes.is_multiple_of(60) {
        plural(minutes / 60, "hour")
    } else {
        plural(minutes, "minute")
    }
}

/// The longest time, in minutes, an AWS Backup schedule can leave between two runs.
///
/// Reads `rate(N minutes|hours|days)` and the six-field `cron(minute hour day-of-month month
/// day-of-week year)`. Where the calendar makes the exact figure awkward (month lengths, "the
/// second Tuesday") it answers with an upper bound, so a doubtful schedule fails rather than
/// passes; anything it cannot read is an error, never a guess.
pub fn max_gap_minutes(expr: &str) -> Result<u64, String> {
    let e = expr.trim();
    if let Some(body) = e.strip_prefix("rate(").and_then(|b| b.strip_suffix(')')) {
        return rate(body);
    }
    if let Some(body) = e.strip_prefix("cron(").and_then(|b| b.strip_suffix(')')) {
        return cron(body);
    }
    Err("expected `rate(…)` or `cron(…)`".into())
}

fn rate(body: &str) -> Result<u64, String> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [n, unit] = parts.as_slice() else {
        return Err("a rate needs a number and a unit".into());
    };
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number"))?;
    if n == 0 {
        return Err("a rate of zero never runs".into());
    }
    let per = match unit.to_ascii_lowercase().as_str() {
        "minute" | "minutes" => 1,
        "hour" | "hours" => 60,
        "day" | "days" => DAY,
        _ => return Err(format!("unknown unit `{unit}`")),
    };
    n.checked_mul(per)
        .ok_or_else(|| "the rate is too large".to_string())
}

fn cron(body: &str) -> Result<u64, String> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    let [minute, hour, dom, month, dow, year] = fields.as_slice() else {
        return Err(format!(
            "expected 6 fields (minute hour day-of-month month day-of-week year), found {}",
            fields.len()
        ));
    };
    let minutes = values(minute, 0, 59, &[])?;
    let hours = values(hour, 0, 23, &[])?;
    let months = values(month, 1, 12, &MONTHS)?;
    let mut day_gap = day_gap(dom, dow)?;
    if *year != "*" {
        values(year, 1970, 2199, &[])?;
        return Ok(NEVER);
    }
    if months.len() < 12 {
        // Some months are skipped: bound the gap by whole 31-day months plus the in-month gap.
        day_gap += circular_gap(&months, 12) * 31;
    }
    let times: Vec<u64> = hours
        .iter()
        .flat_map(|h| minutes.iter().map(move |m| h * 60 + m))
        .collect();
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return Err("the schedule names no time of day".into());
    };
    let within_day = times.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    // From the last run of one run day to the first run of the next.
    let across_days = day_gap * DAY - (last - first);
    Ok(within_day.max(across_days))
}

fn is_any(field: &str) -> bool {
    field == "*" || field == "?"
}

/// The most days between two run days.
fn day_gap(dom: &str, dow: &str) -> Result<u64, String> {
    match (is_any(dom), is_any(dow)) {
        (true, true) => Ok(1),
        (false, false) => {
            Err("day-of-month and day-of-week are both set; one of them must be `?`".into())
        }
        (true, false) => weekday_gap(dow),
        (false, true) => month_day_gap(dom),
    }
}

/// Day-of-week: plain days repeat every week; `2#1` (first Monday) and `6L` (last Friday) once a
/// month, at most 35 days apart. A mix is never worse than its plain days alone.
fn weekday_gap(dow: &str) -> Result<u64, String> {
    let mut plain = Vec::new();
    let mut monthly = false;
    for item in dow.split(',') {
        if let Some((d, n)) = item.split_once('#') {
            value(d, 1, 7, &WEEKDAYS)?;
            value(n, 1, 5, &[])?;
            monthly = true;
        } else if let Some(d) = item.strip_suffix('L') {
            value(d, 1, 7, &WEEKDAYS)?;
            monthly = true;
        } else {
            plain.push(item);
        }
    }
    if plain.is_empty() {
        return if monthly {
            Ok(35)
        } else {
            Err("empty day-of-week".into())
        };
    }
    Ok(circular_gap(&values(&plain.join(","), 1, 7, &WEEKDAYS)?, 7))
}

/// Day-of-month: plain days, allowing for months of 28 to 31 days; `L` (last day), `LW` and `15W`
/// (nearest weekday) at most 34 days apart. A mix is never worse than its plain days alone.
fn month_day_gap(dom: &str) -> Result<u64, String> {
    let mut plain = Vec::new();
    let mut monthly = false;
    for item in dom.split(',') {
        if item == "L" || item == "LW" {
            monthly = true;
        } else if let Some(d) = item.strip_suffix('W') {
            value(d, 1, 31, &[])?;
            monthly = true;
        } else {
            plain.push(item);
        }
    }
    if plain.is_empty() {
        return if monthly {
            Ok(34)
        } else {
            Err("empty day-of-month".into())
        };
    }
    let days = values(&plain.join(","), 1, 31, &[])?;
    let (Some(&first), inner) = (
        days.first(),
        days.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0),
    ) else {
        return Err("empty day-of-month".into());
    };
    let mut gap = inner;
    for len in 28..=31 {
        gap = gap.max(match days.iter().rev().find(|d| **d <= len) {
            Some(last) => len - last + first,
            // No run at all in a month this short: two months apart at worst.
            None => 62,
        });
    }
    Ok(gap)
}

/// The largest distance between consecutive values, wrapping around `period`.
fn circular_gap(sorted: &[u64], period: u64) -> u64 {
    let inner = sorted.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    match (sorted.first(), sorted.last()) {
        (Some(f), Some(l)) => inner.max(f + period - l),
        _ => period,
    }
}

/// The values a cron field selects: `*`, `a`, `a-b`, `*/n`, `a/n`, `a-b/n`, comma-separated.
fn values(field: &str, lo: u64, hi: u64, names: &[&str]) -> Result<Vec<u64>, String> {
    let mut set = BTreeSet::new();
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => {
                let step = s
                    .parse::<usize>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("`{s}` is not a valid step"))?;
                (b, Some(step))
            }
            None => (item, None),
        };
        let (from, to) = if base == "*" {
            (lo, hi)
        } else if let Some((a, b)) = base.split_once('-') {
            (value(a, lo, hi, names)?, value(b, lo, hi, names)?)
        } else {
            let v = value(base, lo, hi, names)?;
            (v, if step.is_some() { hi } else { v })
        };
        if from > to {
            return Err(format!("the range `{base}` runs backwards"));
        }
        set.extend((from..=to).step_by(step.unwrap_or(1)));
    }
    Ok(set.into_iter().collect())
}

fn value(text: &str, lo: u64, hi: u64, names: &[&str]) -> Result<u64, String> {
    let v = match text.parse::<u64>() {
        Ok(v) => v,
        Err(_) => names
            .iter()
            .zip(lo..)
            .find(|(n, _)| n.eq_ignore_ascii_case(text))
            .map(|(_, v)| v)
            .ok_or_else(|| format!("`{text}` is not a valid value"))?,
    };
    if !(lo..=hi).contains(&v) {
        return Err(format!("`{text}` is outside {lo}-{hi}"));
    }
    Ok(v)
}

/// `1 day`, `2 days`.
pub fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- the schedule parser ---------------------------------------------------------------

    #[test]
    fn rate_schedules() {
        for (expr, gap) in [
            ("rate(30 minutes)", 30),
            ("rate(1 hour)", 60),
            ("rate(12 hours)", 720),
            ("rate(1 day)", DAY),
            ("rate(7 days)", 7 * DAY),
            ("  rate(2 Hours)  ", 120),
        ] {
            assert_eq!(max_gap_minutes(expr), Ok(gap), "{expr}");
        }
    }

    #[test]
    fn cron_schedules() {
        for (expr, gap) in [
            ("cron(0 5 ? * * *)", DAY),
            ("cron(0 5 * * ? *)", DAY),
            ("cron(15 3 ? * 1-7 *)", DAY),
            ("cron(0 * ? * * *)", 60),
            ("cron(0 */12 ? * * *)", 720),
            ("cron(0 2/6 ? * * *)", 6 * 60),
            ("cron(0 3/12 ? * * *)", 12 * 60),
            ("cron(0 0,23 ? * * *)", 23 * 60),
            ("cron(0 1,13 ? * * *)", 720),
            ("cron(0 1,5 ? * * *)", 1200),
            ("cron(0 8-17 ? * * *)", DAY - 9 * 60),
            ("cron(0,30 5 ? * * *)", DAY - 30),
            ("cron(0 5 ? JAN-DEC * *)", DAY),
            ("cron(30 2 ? * SUN *)", 7 * DAY),
            ("cron(0 5 ? * MON-FRI *)", 3 * DAY),
            ("cron(0 5 ? * 2-6 *)", 3 * DAY),
            ("cron(0 5 ? * mon,wed,fri *)", 3 * DAY),
            ("cron(0 5 ? * 2#1 *)", 35 * DAY),
            ("cron(0 5 ? * 6L *)", 35 * DAY),
            ("cron(0 5 ? * MON,3#2 *)", 7 * DAY),
            ("cron(0 5 1 * ? *)", 31 * DAY),
            ("cron(0 5 */2 * ? *)", 2 * DAY),
            ("cron(0 5 1-31 * ? *)", DAY),
            ("cron(0 5 L * ? *)", 34 * DAY),
            ("cron(0 5 15W * ? *)", 34 * DAY),
            ("cron(0 5 31 * ? *)", 62 * DAY),
            ("cron(0 5 ? 1-6 * *)", (7 * 31 + 1) * DAY),
            ("cron(0 5 ? * * 2026)", NEVER),
        ] {
            assert_eq!(max_gap_minutes(expr), Ok(gap), "{expr}");
        }
    }

    #[test]
    fn unreadable_schedules_are_errors() {
        for expr in [
            "",
            "daily",
            "cron(0 5 ? * * *",
            "CRON(0 5 ? * * *)",
            "cron(0 5 * * *)",
            "cron(0 5 ? * * * *)",
            "cron(0 25 ? * * *)",
            "cron(60 5 ? * * *)",
            "cron(x 5 ? * * *)",
            "cron(0 ? ? * * *)",
            "cron(0 5-1 ? * * *)",
            "cron(0 */0 ? * * *)",
            "cron(0 5 1 * MON *)",
            "cron(0 5 ? * FOO *)",
            "cron(0 5 ? * 2#9 *)",
            "cron(0 5 32 * ? *)",
            "cron(0 5 ? 13 * *)",
            "cron(0 5 ? * * 1900)",
            "cron(0 5 1,,2 * ? *)",
            "rate(0 hours)",
            "rate(1 fortnight)",
            "rate(hours)",
            "rate(1 hour extra)",
            "rate(-1 hours)",
        ] {
            assert!(max_gap_minutes(expr).is_err(), "{expr}");
        }
    }
}
