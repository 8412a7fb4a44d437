//! Logging and monitoring: CloudTrail, AWS Config, GuardDuty, Security Hub, CloudWatch Logs and alarms, per region.
//!
//! Trails are listed in every region (`DescribeTrails` with shadow trails), then each distinct
//! trail ARN is read once (`GetTrailStatus`, `GetEventSelectors`) from the trail's home region
//! and the answer is copied into every region that lists it. Log events are never read.

use super::Scan;
use crate::ledger::Ledger;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use aws_sdk_config::types::RecordingStrategyType;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::logging::*;
use hipaa_core::evidence::{Fact, Unknown, UnknownReason};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

const STAGE: &str = "logging";

/// The clients of one region, one per service read here.
#[derive(Clone)]
struct Clients {
    cloudtrail: aws_sdk_cloudtrail::Client,
    config: aws_sdk_config::Client,
    guardduty: aws_sdk_guardduty::Client,
    securityhub: aws_sdk_securityhub::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
}

macro_rules! regional_client {
    ($sdk:ident, $config:expr, $region:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .region($sdk::config::Region::new($region.to_string()))
                .build(),
        )
    };
}

impl Clients {
    fn new(config: &SdkConfig, region: &str) -> Self {
        Clients {
            cloudtrail: regional_client!(aws_sdk_cloudtrail, config, region),
            config: regional_client!(aws_sdk_config, config, region),
            guardduty: regional_client!(aws_sdk_guardduty, config, region),
            securityhub: regional_client!(aws_sdk_securityhub, config, region),
            logs: regional_client!(aws_sdk_cloudwatchlogs, config, region),
            cloudwatch: regional_client!(aws_sdk_cloudwatch, config, region),
        }
    }
}

/// Clients per region, built once each from the shared config (a trail's home region may lie
/// outside the scanned regions).
struct Regional {
    config: SdkConfig,
    by_region: Mutex<HashMap<String, Clients>>,
}

impl Regional {
    fn new(config: SdkConfig) -> Self {
        Regional {
            config,
            by_region: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, region: &str) -> Clients {
        match self.by_region.lock() {
            Ok(mut m) => m
                .entry(region.to_string())
                .or_insert_with(|| Clients::new(&self.config, region))
                .clone(),
            Err(_) => Clients::new(&self.config, region),
        }
    }
}

pub(crate) async fn collect(scan: &Scan<'_>) -> Fact<Vec<LoggingRegion>> {
    let clients = Regional::new(scan.config.clone());
    Fact::Known(gather(&scan.ledger, &scan.regions, &clients).await)
}

/// Everything but the trails, read region by region while the trails are read.
struct RegionServices {
    config_recorders: Fact<Vec<ConfigRecorder>>,
    guardduty: Fact<Vec<Detector>>,
    security_hub: Fact<Option<SecurityHub>>,
    log_groups: Fact<Vec<LogGroup>>,
    metric_filters: Fact<Vec<MetricFilter>>,
    alarms: Fact<Vec<MetricAlarm>>,
}

async fn gather(ledger: &Ledger<'_>, regions: &[String], clients: &Regional) -> Vec<LoggingRegion> {
    // One unit per region for its trail listing, one for its other services; trail details
    // are planned once the distinct trails are known.
    ledger.plan(2 * regions.len() as u64, STAGE);
    let services = stream::iter(regions.iter().cloned())
        .map(|r| region_services(ledger, clients, r))
        .buffered(4)
        .collect::<Vec<_>>();
    let (mut trails, services) = tokio::join!(trails(ledger, regions, clients), services);
    regions
        .iter()
        .zip(services)
        .map(|(region, s)| LoggingRegion {
            region: region.clone(),
            trails: trails.remove(region).unwrap_or_else(|| {
                Fact::Unknown(Unknown::new(
                    UnknownReason::NotCollected,
                    "cloudtrail:DescribeTrails",
                    "the region's trails were not listed",
                ))
            }),
            config_recorders: s.config_recorders,
            guardduty: s.guardduty,
            security_hub: s.security_hub,
            log_groups: s.log_groups,
            metric_filters: s.metric_filters,
            alarms: s.alarms,
        })
        .collect()
}

async fn region_services(
    ledger: &Ledger<'_>,
    clients: &Regional,
    region: String,
) -> RegionServices {
    let c = clients.get(&region);
    let r = region.as_str();
    let (config_recorders, guardduty, security_hub, log_groups, metric_filters, alarms) = tokio::join!(
        config_recorders(ledger, &c.config, r),
        detectors(ledger, &c.guardduty, r),
        security_hub(ledger, &c.securityhub, r),
        log_groups(ledger, &c.logs, r),
        metric_filters(ledger, &c.logs, r),
        alarms(ledger, &c.cloudwatch, r),
    );
    ledger.tick(STAGE);
    RegionServices {
        config_recorders,
        guardduty,
        security_hub,
        log_groups: log_groups.into(),
        metric_filters: metric_filters.into(),
        alarms: alarms.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

/// Each region's trails, with status and selectors read once per distinct trail ARN.
async fn trails(
    ledger: &Ledger<'_>,
    regions: &[String],
    clients: &Regional,
) -> HashMap<String, Fact<Vec<Trail>>> {
    let listings: Vec<(String, Result<Vec<Trail>, Unknown>)> =
        stream::iter(regions.iter().cloned())
            .map(|r| async move {
                let c = clients.get(&r);
                let l = describe_trails(ledger, &c.cloudtrail, &r).await;
                ledger.tick(STAGE);
                (r, l)
            })
            .buffered(4)
            .collect()
            .await;
    let mut distinct: BTreeMap<String, String> = BTreeMap::new();
    for t in listings
        .iter()
        .filter_map(|(_, l)| l.as_ref().ok())
        .flatten()
    {
        distinct
            .entry(t.arn.clone())
            .or_insert_with(|| t.home_region.clone());
    }
    ledger.plan(distinct.len() as u64, STAGE);
    let details: HashMap<String, (Fact<bool>, Fact<TrailSelectors>)> = stream::iter(distinct)
        .map(|(arn, home)| async move {
            let c = clients.get(&home);
            let (status, selectors) = tokio::join!(
                trail_status(ledger, &c.cloudtrail, &arn),
                trail_selectors(ledger, &c.cloudtrail, &arn)
            );
            ledger.tick(STAGE);
            (arn, (status, selectors))
        })
        .buffer_unordered(8)
        .collect()
        .await;
    listings
        .into_iter()
        .map(|(region, listing)| {
            let listing = listing.map(|mut list| {
                for t in &mut list {
                    if let Some((status, selectors)) = details.get(&t.arn) {
                        t.is_logging = status.clone();
                        t.selectors = selectors.clone();
                    }
                }
                list
            });
            (region, listing.into())
        })
        .collect()
}

/// The trails visible in one region; status and selectors are left to [`trails`].
async fn describe_trails(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudtrail::Client,
    region: &str,
) -> Result<Vec<Trail>, Unknown> {
    const OP: &str = "cloudtrail:DescribeTrails";
    let out = ledger
        .must(
            OP,
            region,
            client.describe_trails().include_shadow_trails(true).send(),
        )
        .await?;
    let mut trails = Vec::new();
    for t in out.trail_list() {
        // A trail without a name or ARN cannot be judged; dropping it could hide a failing trail.
        let (Some(name), Some(arn)) = (t.name(), t.trail_arn()) else {
            return Err(ledger.fail(
                OP,
                region,
                (
                    UnknownReason::ParseError,
                    "a trail without a name or ARN".into(),
                ),
            ));
        };
        let home_region = t
            .home_region()
            .or_else(|| arn.split(':').nth(3).filter(|r| !r.is_empty()))
            .unwrap_or(region)
            .to_string();
        trails.push(Trail {
            name: name.to_string(),
            arn: arn.to_string(),
            home_region,
            multi_region: t.is_multi_region_trail().unwrap_or(false),
            organization: t.is_organization_trail().unwrap_or(false),
            log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
            kms_key_id: non_empty(t.kms_key_id()),
            cloudwatch_log_group_arn: non_empty(t.cloud_watch_logs_log_group_arn()),
            s3_bucket: non_empty(t.s3_bucket_name()),
            is_logging: pending("cloudtrail:GetTrailStatus"),
            selectors: pending("cloudtrail:GetEventSelectors"),
        });
    }
    trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(trails)
}

/// A trail fact not read yet; [`trails`] replaces it with the answer for the trail's ARN.
fn pending<T>(op: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        op,
        "not read for this trail",
    ))
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

/// `GetTrailStatus` by ARN (the only form that works for shadow and organization trails).
async fn trail_status(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudtrail::Client,
    arn: &str,
) -> Fact<bool> {
    const OP: &str = "cloudtrail:GetTrailStatus";
    let r = ledger
        .must(OP, arn, client.get_trail_status().name(arn).send())
        .await;
    Fact::from(r.and_then(|o| {
        o.is_logging().ok_or_else(|| {
            ledger.fail(
                OP,
                arn,
                (
                    UnknownReason::ParseError,
                    "no IsLogging in the answer".into(),
                ),
            )
        })
    }))
}

async fn trail_selectors(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudtrail::Client,
    arn: &str,
) -> Fact<TrailSelectors> {
    let r = ledger
        .must(
            "cloudtrail:GetEventSelectors",
            arn,
            client.get_event_selectors().trail_name(arn).send(),
        )
        .await;
    let partition = arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws");
    Fact::from(r.map(|o| {
        let mut c = Coverage::default();
        c.add_classic(o.event_selectors());
        c.add_advanced(o.advanced_event_selectors(), partition);
        c.reduce()
    }))
}

/// What a trail's selectors record, before reduction to [`TrailSelectors`].
///
/// Only what is recorded in full counts: a selector narrowed by anything this reader does not
/// model (excluded event sources, event names, identities, negated ARN filters, …) adds
/// nothing, so an unusual configuration can turn a pass into a failure but never the reverse.
#[derive(Debug, Default)]
struct Coverage {
    management_reads: bool,
    management_writes: bool,
    /// S3 object ARN prefixes whose reads are recorded.
    s3_reads: Vec<String>,
    /// S3 object ARN prefixes whose writes are recorded.
    s3_writes: Vec<String>,
}

const S3_OBJECT: &str = "AWS::S3::Object";

impl Coverage {
    /// Classic selectors. Absent `ReadWriteType` and `IncludeManagementEvents` take their
    /// documented defaults (`All`, `true`).
    fn add_classic(&mut self, selectors: &[EventSelector]) {
        for s in selectors {
            let (reads, writes) = match s.read_write_type() {
                None | Some(ReadWriteType::All) => (true, true),
                Some(ReadWriteType::ReadOnly) => (true, false),
                Some(ReadWriteType::WriteOnly) => (false, true),
                Some(_) => (false, false),
            };
            if s.include_management_events().unwrap_or(true)
                && s.exclude_management_event_sources().is_empty()
            {
                self.management_reads |= reads;
                self.management_writes |= writes;
            }
            for d in s.data_resources() {
                if d.r#type() == Some(S3_OBJECT) {
                    self.add_s3(d.values().iter().cloned(), reads, writes);
                }
            }
        }
    }

    /// Advanced selectors: field selectors of one selector are ANDed, selectors ORed.
    fn add_advanced(&mut self, selectors: &[AdvancedEventSelector], partition: &str) {
        for s in selectors {
            let fields = s.field_selectors();
            let positive = |name: &str| {
                fields
                    .iter()
                    .filter(|f| f.field() == name)
                    .map(|f| f.equals())
                    .collect::<Vec<_>>()
            };
            let categories = positive("eventCategory");
            let Some((reads, writes)) = read_only_filter(fields) else {
                continue;
            };
            let is = |values: &Vec<&[String]>, want: &str| {
                !values.is_empty() && values.iter().all(|v| v.iter().any(|x| x == want))
            };
            if is(&categories, "Management") {
                // Management selectors may only be narrowed by readOnly here; an
                // `eventSource` exclusion (or anything else) leaves them incomplete.
                if fields
                    .iter()
                    .all(|f| matches!(f.field(), "eventCategory" | "readOnly"))
                    && fields
                        .iter()
                        .filter(|f| f.field() == "eventCategory")
                        .all(only_equals)
                {
                    self.management_reads |= reads;
                    self.management_writes |= writes;
                }
            } else if is(&categories, "Data") && is(&positive("resources.type"), S3_OBJECT) {
                if !fields.iter().all(|f| {
                    matches!(
                        f.field(),
                        "eventCategory" | "resources.type" | "readOnly" | "resources.ARN"
                    )
                }) || !fields
                    .iter()
                    .filter(|f| f.field() != "resources.ARN" && f.field() != "readOnly")
                    .all(only_equals)
                {
                    continue;
                }
                let arn_filters: Vec<_> = fields
                    .iter()
                    .filter(|f| f.field() == "resources.ARN")
                    .collect();
                let prefixes: Vec<String> = match arn_filters.as_slice() {
                    [] => vec![format!("arn:{partition}:s3")],
                    // One positive prefix filter; exact ARNs, suffixes and exclusions are not
                    // modelled, so they add nothing.
                    [f] if f.equals().is_empty()
                        && f.ends_with().is_empty()
                        && f.not_equals().is_empty()
                        && f.not_starts_with().is_empty()
                        && f.not_ends_with().is_empty() =>
                    {
                        f.starts_with().to_vec()
                    }
                    _ => continue,
                };
                self.add_s3(prefixes.into_iter(), reads, writes);
            }
        }
    }

    fn add_s3(&mut self, prefixes: impl Iterator<Item = String>, reads: bool, writes: bool) {
        for p in prefixes {
            if reads {
                self.s3_reads.push(p.clone());
            }
            if writes {
                self.s3_writes.push(p);
            }
        }
    }

    /// Management events count when both reads and writes are recorded; an S3 prefix counts
    /// when its reads and its writes are both recorded (by one selector or by two).
    fn reduce(self) -> TrailSelectors {
        let mut prefixes = BTreeSet::new();
        for (one, other) in [
            (&self.s3_reads, &self.s3_writes),
            (&self.s3_writes, &self.s3_reads),
        ] {
            for p in one {
                if other.iter().any(|g| prefix_covers(g, p)) {
                    prefixes.insert(p.clone());
                }
            }
        }
        TrailSelectors {
            management_events: self.management_reads && self.management_writes,
            s3_data_prefixes: prefixes.into_iter().collect(),
        }
    }
}

/// Whether events under `general` include every event under `specific`.
fn prefix_covers(general: &str, specific: &str) -> bool {
    let g = general.trim_end_matches('/');
    g.ends_with(":s3") || g.ends_with(":s3:::") || specific.starts_with(general)
}

fn only_equals(f: &aws_sdk_cloudtrail::types::AdvancedFieldSelector) -> bool {
    !f.equals().is_empty()
        && f.starts_with().is_empty()
        && f.ends_with().is_empty()
        && f.not_equals().is_empty()
        && f.not_starts_with().is_empty()
        && f.not_ends_with().is_empty()
}

/// `(reads, writes)` an advanced selector's `readOnly` field lets through; `None` when the
/// field is used in a way not modelled here.
fn read_only_filter(
    fields: &[aws_sdk_cloudtrail::types::AdvancedFieldSelector],
) -> Option<(bool, bool)> {
    let mut reads = true;
    let mut writes = true;
    for f in fields.iter().filter(|f| f.field() == "readOnly") {
        if !only_equals(f) {
            return None;
        }
        reads &= f.equals().iter().any(|v| v == "true");
        writes &= f.equals().iter().any(|v| v == "false");
    }
    Some((reads, writes))
}

// ---------------------------------------------------------------------------------------------
// AWS Config, GuardDuty, Security Hub
// ---------------------------------------------------------------------------------------------

async fn config_recorders(
    ledger: &Ledger<'_>,
    client: &aws_sdk_config::Client,
    region: &str,
) -> Fact<Vec<ConfigRecorder>> {
    const STATUS_OP: &str = "config:DescribeConfigurationRecorderStatus";
    let (recorders, statuses) = tokio::join!(
        ledger.must(
            "config:DescribeConfigurationRecorders",
            region,
            client.describe_configuration_recorders().send()
        ),
        ledger.must(
            STATUS_OP,
            region,
            client.describe_configuration_recorder_status().send()
        ),
    );
    let recorders = match recorders {
        Ok(r) => r,
        Err(u) => return Fact::Unknown(u),
    };
    // The SDK reads a missing `recording` as false: that can only fail a control, never pass it.
    let statuses: Result<HashMap<String, bool>, Unknown> = statuses.map(|s| {
        s.configuration_recorders_status()
            .iter()
            .filter_map(|s| Some((s.name()?.to_string(), s.recording())))
            .collect()
    });
    let mut out: Vec<ConfigRecorder> = recorders
        .configuration_recorders()
        .iter()
        .filter_map(|r| {
            let name = r.name()?.to_string();
            let group = r.recording_group();
            let all_supported = group.is_some_and(|g| {
                g.all_supported()
                    || g.recording_strategy().and_then(|s| s.use_only())
                        == Some(&RecordingStrategyType::AllSupportedResourceTypes)
            });
            let include_global = group.is_some_and(|g| g.include_global_resource_types());
            let recording = match &statuses {
                Err(u) => Fact::Unknown(u.clone()),
                Ok(m) => match m.get(&name) {
                    Some(on) => Fact::Known(*on),
                    None => Fact::Unknown(ledger.fail(
                        STATUS_OP,
                        &name,
                        (
                            UnknownReason::ParseError,
                            "no status for this recorder".into(),
                        ),
                    )),
                },
            };
            Some(ConfigRecorder {
                name,
                all_supported,
                include_global,
                recording,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Fact::Known(out)
}

async fn detectors(
    ledger: &Ledger<'_>,
    client: &aws_sdk_guardduty::Client,
    region: &str,
) -> Fact<Vec<Detector>> {
    let ids = async {
        let mut pages = client.list_detectors().into_paginator().send();
        let mut ids = Vec::new();
        while let Some(page) = ledger
            .page("guardduty:ListDetectors", region, pages.next())
            .await?
        {
            ids.extend(page.detector_ids().iter().cloned());
        }
        Ok::<_, Unknown>(ids)
    };
    let ids = match ids.await {
        Ok(ids) => ids,
        Err(u) => return Fact::Unknown(u),
    };
    let mut out: Vec<Detector> = stream::iter(ids)
        .map(|id| async move {
            const OP: &str = "guardduty:GetDetector";
            let r = ledger
                .must(OP, &id, client.get_detector().detector_id(&id).send())
                .await;
            let status = Fact::from(r.and_then(|o| {
                o.status().map(|s| s.as_str().to_string()).ok_or_else(|| {
                    ledger.fail(
                        OP,
                        &id,
                        (UnknownReason::ParseError, "no status in the answer".into()),
                    )
                })
            }));
            Detector { id, status }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Fact::Known(out)
}

/// `DescribeHub`; "not subscribed" is a fact (`None`). Security Hub answers it with
/// `InvalidAccessException`, a code it also documents for missing permissions, so the message
/// decides: only "… is not subscribed to AWS Security Hub" means not enabled.
async fn security_hub(
    ledger: &Ledger<'_>,
    client: &aws_sdk_securityhub::Client,
    region: &str,
) -> Fact<Option<SecurityHub>> {
    const OP: &str = "securityhub:DescribeHub";
    let call = async {
        match client.describe_hub().send().await {
            Ok(o) => Ok(Some(o)),
            Err(e) if not_subscribed(&e) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let r = ledger.must(OP, region, call).await;
    Fact::from(r.and_then(|o| {
        let Some(o) = o else { return Ok(None) };
        let arn = o.hub_arn().filter(|a| !a.is_empty()).ok_or_else(|| {
            ledger.fail(
                OP,
                region,
                (UnknownReason::ParseError, "no hub ARN in the answer".into()),
            )
        })?;
        Ok(Some(SecurityHub {
            arn: arn.to_string(),
            subscribed_at: non_empty(o.subscribed_at()),
        }))
    }))
}

fn not_subscribed<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.code() == Some("InvalidAccessException")
        && e.message()
            .is_some_and(|m| m.to_ascii_lowercase().contains("not subscribed"))
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs and CloudWatch alarms
// ---------------------------------------------------------------------------------------------

async fn log_groups(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<Vec<LogGroup>, Unknown> {
    const OP: &str = "logs:DescribeLogGroups";
    let mut pages = client.describe_log_groups().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger.page(OP, region, pages.next()).await? {
        for g in page.log_groups() {
            // A group without a name cannot be judged; dropping it could hide a failing group.
            let Some(name) = g.log_group_name() else {
                return Err(ledger.fail(
                    OP,
                    region,
                    (
                        UnknownReason::ParseError,
                        "a log group without a name".into(),
                    ),
                ));
            };
            let arn = g
                .log_group_arn()
                .or(g.arn())
                .map(|a| a.strip_suffix(":*").unwrap_or(a).to_string())
                .unwrap_or_default();
            out.push(LogGroup {
                name: name.to_string(),
                arn,
                kms_key_id: non_empty(g.kms_key_id()),
                retention_days: g.retention_in_days(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn metric_filters(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<Vec<MetricFilter>, Unknown> {
    let mut pages = client.describe_metric_filters().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger
        .page("logs:DescribeMetricFilters", region, pages.next())
        .await?
    {
        // Filters only ever help a control pass, so an incomplete one is left out.
        for f in page.metric_filters() {
            let (Some(name), Some(group), Some(pattern)) =
                (f.filter_name(), f.log_group_name(), f.filter_pattern())
            else {
                continue;
            };
            out.push(MetricFilter {
                name: name.to_string(),
                log_group: group.to_string(),
                pattern: pattern.to_string(),
                metrics: f
                    .metric_transformations()
                    .iter()
                    .map(|m| {
                        (
                            m.metric_namespace().to_string(),
                            m.metric_name().to_string(),
                        )
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.log_group, &a.name).cmp(&(&b.log_group, &b.name)));
    Ok(out)
}

async fn alarms(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
) -> Result<Vec<MetricAlarm>, Unknown> {
    let mut pages = client.describe_alarms().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger
        .page("cloudwatch:DescribeAlarms", region, pages.next())
        .await?
    {
        for a in page.metric_alarms() {
            let Some(name) = a.alarm_name() else { continue };
            out.push(MetricAlarm {
                name: name.to_string(),
                namespace: a.namespace().map(str::to_string),
                metric: a.metric_name().map(str::to_string),
                actions_enabled: a.actions_enabled().unwrap_or(false),
                actions: a.alarm_actions().to_vec(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource};
    use aws_smithy_mocks::{mock, MockResponseInterceptor, Rule, RuleMode};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use hipaa_core::NoProgress;

    // -----------------------------------------------------------------------------------------
    // event selectors

    fn classic(rw: ReadWriteType, management: bool, s3: &[&str]) -> EventSelector {
        let mut b = EventSelector::builder()
            .read_write_type(rw)
            .include_management_events(management);
        if !s3.is_empty() {
            let mut d = DataResource::builder().r#type(S3_OBJECT);
            for v in s3 {
                d = d.values(*v);
            }
            b = b.data_resources(d.build());
        }
        b.build()
    }

    enum Op {
        Equals,
        StartsWith,
        NotStartsWith,
        NotEquals,
    }

    fn field(name: &str, op: Op, values: &[&str]) -> AdvancedFieldSelector {
        let mut b = AdvancedFieldSelector::builder().field(name);
        for v in values {
            b = match op {
                Op::Equals => b.equals(*v),
                Op::StartsWith => b.starts_with(*v),
                Op::NotStartsWith => b.not_starts_with(*v),
                Op::NotEquals => b.not_equals(*v),
            };
        }
        b.build().unwrap()
    }

    fn advanced(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    fn reduce(classic: &[EventSelector], advanced: &[AdvancedEventSelector]) -> TrailSelectors {
        let mut c = Coverage::default();
        c.add_classic(classic);
        c.add_advanced(advanced, "aws");
        c.reduce()
    }

    fn s3_data(extra: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        let mut fields = vec![
            field("eventCategory", Op::Equals, &["Data"]),
            field("resources.type", Op::Equals, &[S3_OBJECT]),
        ];
        fields.extend(extra);
        advanced(fields)
    }

    #[test]
    fn classic_selectors() {
        // The default selector of a new trail.
        let s = reduce(&[EventSelector::builder().build()], &[]);
        assert!(s.management_events);
        assert!(s.s3_data_prefixes.is_empty());

        let s = reduce(
            &[classic(
                ReadWriteType::All,
                true,
                &[
                    "arn:aws:s3:::phi-records/",
                    "arn:aws:s3:::phi-records-replica/",
                ],
            )],
            &[],
        );
        assert!(s.management_events);
        assert_eq!(
            s.s3_data_prefixes,
            vec![
                "arn:aws:s3:::phi-records-replica/",
                "arn:aws:s3:::phi-records/"
            ]
        );
        assert!(s.covers_bucket("phi-records"));

        // Writes only: neither management events nor data events are recorded in full.
        let s = reduce(
            &[classic(ReadWriteType::WriteOnly, true, &["arn:aws:s3"])],
            &[],
        );
        assert_eq!(s, TrailSelectors::default());

        // Reads and writes in two selectors add up.
        let s = reduce(
            &[
                classic(ReadWriteType::ReadOnly, true, &["arn:aws:s3:::a/"]),
                classic(ReadWriteType::WriteOnly, true, &["arn:aws:s3"]),
            ],
            &[],
        );
        assert!(s.management_events);
        assert_eq!(s.s3_data_prefixes, vec!["arn:aws:s3:::a/"]);

        // Management events switched off, or some event sources excluded.
        let s = reduce(&[classic(ReadWriteType::All, false, &[])], &[]);
        assert!(!s.management_events);
        let excluded = EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(true)
            .exclude_management_event_sources("kms.amazonaws.com")
            .build();
        assert!(!reduce(&[excluded], &[]).management_events);
    }

    #[test]
    fn advanced_management_selectors() {
        let all = advanced(vec![field("eventCategory", Op::Equals, &["Management"])]);
        assert!(reduce(&[], &[all]).management_events);

        let writes = advanced(vec![
            field("eventCategory", Op::Equals, &["Management"]),
            field("readOnly", Op::Equals, &["false"]),
        ]);
        assert!(!reduce(&[], std::slice::from_ref(&writes)).management_events);
        let reads = advanced(vec![
            field("eventCategory", Op::Equals, &["Management"]),
            field("readOnly", Op::Equals, &["true"]),
        ]);
        assert!(reduce(&[], &[writes, reads]).management_events);

        let no_kms = advanced(vec![
            field("eventCategory", Op::Equals, &["Management"]),
            field("eventSource", Op::NotEquals, &["kms.amazonaws.com"]),
        ]);
        assert!(!reduce(&[], &[no_kms]).management_events);
    }

    #[test]
    fn advanced_s3_data_selectors() {
        // No ARN filter: every bucket.
        let s = reduce(&[], &[s3_data(vec![])]);
        assert!(!s.management_events);
        assert_eq!(s.s3_data_prefixes, vec!["arn:aws:s3"]);
        assert!(s.covers_bucket("anything"));

        let s = reduce(
            &[],
            &[s3_data(vec![field(
                "resources.ARN",
                Op::StartsWith,
                &["arn:aws:s3:::phi-records/"],
            )])],
        );
        assert_eq!(s.s3_data_prefixes, vec!["arn:aws:s3:::phi-records/"]);

        // Exclusions, exact ARNs and event-name filters are not modelled: nothing is counted.
        for narrowed in [
            field("resources.ARN", Op::NotStartsWith, &["arn:aws:s3:::logs/"]),
            field(
                "resources.ARN",
                Op::Equals,
                &["arn:aws:s3:::phi-records/a.txt"],
            ),
            field("eventName", Op::Equals, &["GetObject"]),
            field("readOnly", Op::Equals, &["true"]),
        ] {
            let s = reduce(&[], &[s3_data(vec![narrowed])]);
            assert!(s.s3_data_prefixes.is_empty(), "{s:?}");
        }

        // Reads of one bucket, writes of every bucket: that bucket is covered.
        let s = reduce(
            &[],
            &[
                s3_data(vec![
                    field("readOnly", Op::Equals, &["true"]),
                    field("resources.ARN", Op::StartsWith, &["arn:aws:s3:::a/"]),
                ]),
                s3_data(vec![field("readOnly", Op::Equals, &["false"])]),
            ],
        );
        assert_eq!(s.s3_data_prefixes, vec!["arn:aws:s3:::a/"]);

        // Another resource type records no S3 objects.
        let lambda = advanced(vec![
            field("eventCategory", Op::Equals, &["Data"]),
            field("resources.type", Op::Equals, &["AWS::Lambda::Function"]),
        ]);
        assert!(reduce(&[], &[lambda]).s3_data_prefixes.is_empty());
    }

    #[test]
    fn prefixes_cover_narrower_prefixes() {
        assert!(prefix_covers("arn:aws:s3", "arn:aws:s3:::a/"));
        assert!(prefix_covers("arn:aws:s3:::", "arn:aws:s3:::a/"));
        assert!(prefix_covers("arn:aws:s3:::a/", "arn:aws:s3:::a/x/"));
        assert!(!prefix_covers("arn:aws:s3:::a/x/", "arn:aws:s3:::a/"));
        assert!(!prefix_covers("arn:aws:s3:::b/", "arn:aws:s3:::a/"));
    }

    // -----------------------------------------------------------------------------------------
    // recorded responses

    use crate::collect::mocks::sdk_config;

    macro_rules! mocked {
        ($sdk:ident, $rules:expr) => {{
            let mut mocks = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
            for rule in $rules {
                mocks = mocks.with_rule(rule);
            }
            $sdk::Client::from_conf(
                $sdk::config::Builder::from(&sdk_config())
                    .interceptor(mocks)
                    .build(),
            )
        }};
    }

    /// An error answer of a JSON protocol, as the service sends it.
    fn error(status: u16, code: &str, message: &str) -> HttpResponse {
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        let mut r = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        r.headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        r
    }

    /// Security Hub's "not subscribed" answer (REST-JSON: the code is in a header).
    fn security_hub_error(code: &'static str, message: &str) -> HttpResponse {
        let body = format!(r#"{{"Code":"{code}","Message":"{message}"}}"#);
        let mut r = HttpResponse::new(StatusCode::try_from(401).unwrap(), SdkBody::from(body));
        r.headers_mut().insert("content-type", "application/json");
        r.headers_mut().insert("x-amzn-errortype", code);
        r
    }

    const TRAIL_A: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";
    const TRAIL_B: &str = "arn:aws:cloudtrail:us-west-2:123456789012:trail/legacy";

    struct Mocks {
        describe_trails: Rule,
        status_a: Rule,
        status_b: Rule,
        selectors: Rule,
        describe_hub: Rule,
        get_detector: Rule,
    }

    fn clients() -> (Clients, Mocks) {
        use aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput;
        use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
        use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
        use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
        use aws_sdk_cloudwatchlogs::operation::describe_metric_filters::DescribeMetricFiltersOutput;
        use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
        use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
        use aws_sdk_guardduty::operation::list_detectors::ListDetectorsOutput;

        // The same answers in every region: the multi-region trail `audit` (home us-east-1)
        // and, for the test's sake, `legacy` (home us-west-2) are listed in both.
        let trail = |arn: &str, name: &str, home: &str, multi: bool| {
            aws_sdk_cloudtrail::types::Trail::builder()
                .name(name)
                .trail_arn(arn)
                .home_region(home)
                .is_multi_region_trail(multi)
                .is_organization_trail(false)
                .log_file_validation_enabled(multi)
                .s3_bucket_name("trail-logs")
                .build()
        };
        let describe_trails =
            mock!(aws_sdk_cloudtrail::Client::describe_trails).then_output(move || {
                DescribeTrailsOutput::builder()
                    .trail_list(trail(TRAIL_A, "audit", "us-east-1", true))
                    .trail_list(trail(TRAIL_B, "legacy", "us-west-2", false))
                    .build()
            });
        let status_a = mock!(aws_sdk_cloudtrail::Client::get_trail_status)
            .match_requests(|r| r.name() == Some(TRAIL_A))
            .then_output(|| GetTrailStatusOutput::builder().is_logging(true).build());
        let status_b = mock!(aws_sdk_cloudtrail::Client::get_trail_status)
            .match_requests(|r| r.name() == Some(TRAIL_B))
            .then_http_response(|| {
                error(
                    400,
                    "AccessDeniedException",
                    "User is not authorized to perform: cloudtrail:GetTrailStatus",
                )
            });
        let selectors = mock!(aws_sdk_cloudtrail::Client::get_event_selectors).then_output(|| {
            GetEventSelectorsOutput::builder()
                .event_selectors(classic(ReadWriteType::All, true, &[]))
                .build()
        });
        let cloudtrail = mocked!(
            aws_sdk_cloudtrail,
            [&describe_trails, &status_a, &status_b, &selectors]
        );

        let recorders = mock!(aws_sdk_config::Client::describe_configuration_recorders)
            .then_output(|| {
                DescribeConfigurationRecordersOutput::builder()
                    .configuration_recorders(
                        aws_sdk_config::types::ConfigurationRecorder::builder()
                            .name("default")
                            .recording_group(
                                aws_sdk_config::types::RecordingGroup::builder()
                                    .all_supported(true)
                                    .include_global_resource_types(true)
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            });
        let recorder_status = mock!(aws_sdk_config::Client::describe_configuration_recorder_status)
            .then_http_response(|| error(400, "ThrottlingException", "Rate exceeded"));
        let config = mocked!(aws_sdk_config, [&recorders, &recorder_status]);

        let list_detectors = mock!(aws_sdk_guardduty::Client::list_detectors)
            .then_output(|| ListDetectorsOutput::builder().detector_ids("d1").build());
        let get_detector = mock!(aws_sdk_guardduty::Client::get_detector).then_output(|| {
            GetDetectorOutput::builder()
                .status(aws_sdk_guardduty::types::DetectorStatus::Enabled)
                .build()
        });
        let guardduty = mocked!(aws_sdk_guardduty, [&list_detectors, &get_detector]);

        let describe_hub =
            mock!(aws_sdk_securityhub::Client::describe_hub).then_http_response(|| {
                security_hub_error(
                    "InvalidAccessException",
                    "Account 123456789012 is not subscribed to AWS Security Hub",
                )
            });
        let securityhub = mocked!(aws_sdk_securityhub, [&describe_hub]);

        let log_groups = mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups)
            .then_http_response(|| {
                error(
                    400,
                    "AccessDeniedException",
                    "not authorized to perform: logs:DescribeLogGroups",
                )
            });
        let filters =
            mock!(aws_sdk_cloudwatchlogs::Client::describe_metric_filters).then_output(|| {
                DescribeMetricFiltersOutput::builder()
                    .metric_filters(
                        aws_sdk_cloudwatchlogs::types::MetricFilter::builder()
                            .filter_name("RootUse")
                            .log_group_name("/trail")
                            .filter_pattern(r#"{ $.userIdentity.type = "Root" }"#)
                            .metric_transformations(
                                aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                                    .metric_name("RootUse")
                                    .metric_namespace("Security")
                                    .metric_value("1")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
        let logs = mocked!(aws_sdk_cloudwatchlogs, [&log_groups, &filters]);

        let describe_alarms =
            mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_output(|| {
                DescribeAlarmsOutput::builder()
                    .metric_alarms(
                        aws_sdk_cloudwatch::types::MetricAlarm::builder()
                            .alarm_name("root-use")
                            .namespace("Security")
                            .metric_name("RootUse")
                            .actions_enabled(true)
                            .alarm_actions("arn:aws:sns:us-east-1:123456789012:alerts")
                            .build(),
                    )
                    .build()
            });
        let cloudwatch = mocked!(aws_sdk_cloudwatch, [&describe_alarms]);

        (
            Clients {
                cloudtrail,
                config,
                guardduty,
                securityhub,
                logs,
                cloudwatch,
            },
            Mocks {
                describe_trails,
                status_a,
                status_b,
                selectors,
                describe_hub,
                get_detector,
            },
        )
    }

    #[tokio::test]
    async fn each_trail_is_read_once_and_failed_reads_stay_unknown() {
        let (clients, mocks) = clients();
        let ledger = Ledger::new(8, &NoProgress);
        let regions = vec!["us-east-1".to_string(), "us-west-2".to_string()];
        // The same mocked clients answer for every region.
        let regional = Regional::new(sdk_config());
        if let Ok(mut m) = regional.by_region.lock() {
            for r in &regions {
                m.insert(r.clone(), clients.clone());
            }
        }
        let out = gather(&ledger, &regions, &regional).await;

        assert_eq!(mocks.describe_trails.num_calls(), 2);
        assert_eq!(mocks.status_a.num_calls(), 1);
        assert_eq!(mocks.status_b.num_calls(), 1);
        assert_eq!(mocks.selectors.num_calls(), 2);
        assert_eq!(mocks.describe_hub.num_calls(), 2);
        assert_eq!(mocks.get_detector.num_calls(), 2);

        assert_eq!(out.len(), 2);
        for r in &out {
            let trails = r.trails.known().unwrap();
            assert_eq!(trails.len(), 2, "{}", r.region);
            let audit = trails.iter().find(|t| t.arn == TRAIL_A).unwrap();
            assert_eq!(audit.is_logging, Fact::Known(true));
            assert_eq!(audit.home_region, "us-east-1");
            assert!(audit.multi_region && audit.log_file_validation);
            assert_eq!(audit.s3_bucket.as_deref(), Some("trail-logs"));
            assert!(audit.selectors.known().unwrap().management_events);
            // A denied GetTrailStatus is unknown, never "not logging".
            let legacy = trails.iter().find(|t| t.arn == TRAIL_B).unwrap();
            let u = legacy.is_logging.get().unwrap_err();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
            assert_eq!(u.operation, "cloudtrail:GetTrailStatus");

            // "Not subscribed" is a fact.
            assert_eq!(r.security_hub, Fact::Known(None));
            // A failed status read leaves the recorder listed with an unknown state.
            let rec = &r.config_recorders.known().unwrap()[0];
            assert!(rec.all_supported && rec.include_global);
            assert_eq!(
                rec.recording.get().unwrap_err().reason,
                UnknownReason::Throttled
            );
            let d = &r.guardduty.known().unwrap()[0];
            assert_eq!(
                (d.id.as_str(), d.status.known().map(String::as_str)),
                ("d1", Some("ENABLED"))
            );
            // A denied listing is unknown, never an empty list.
            assert_eq!(
                r.log_groups.get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
            let f = &r.metric_filters.known().unwrap()[0];
            assert_eq!(
                f.metrics,
                vec![("Security".to_string(), "RootUse".to_string())]
            );
            let a = &r.alarms.known().unwrap()[0];
            assert_eq!(a.name, "root-use");
            assert_eq!(
                (a.namespace.as_deref(), a.metric.as_deref()),
                (Some("Security"), Some("RootUse"))
            );
            assert!(a.actions_enabled);
            assert_eq!(a.actions.len(), 1);
        }

        let log = ledger.log();
        assert_eq!(log.calls["cloudtrail:GetTrailStatus"], 2);
        let failed: Vec<(&str, &str)> = log
            .failures
            .iter()
            .map(|f| (f.operation.as_str(), f.resource.as_str()))
            .collect();
        assert_eq!(
            failed,
            vec![
                ("cloudtrail:GetTrailStatus", TRAIL_B),
                ("config:DescribeConfigurationRecorderStatus", "us-east-1"),
                ("config:DescribeConfigurationRecorderStatus", "us-west-2"),
                ("logs:DescribeLogGroups", "us-east-1"),
                ("logs:DescribeLogGroups", "us-west-2"),
            ]
        );
    }

    #[tokio::test]
    async fn security_hub_answers() {
        use aws_sdk_securityhub::operation::describe_hub::DescribeHubOutput;
        let ledger = Ledger::new(4, &NoProgress);

        let enabled = mock!(aws_sdk_securityhub::Client::describe_hub).then_output(|| {
            DescribeHubOutput::builder()
                .hub_arn("arn:aws:securityhub:us-east-1:123456789012:hub/default")
                .subscribed_at("2024-01-01T00:00:00.000Z")
                .build()
        });
        let client = mocked!(aws_sdk_securityhub, [&enabled]);
        let hub = security_hub(&ledger, &client, "us-east-1").await;
        assert_eq!(
            hub,
            Fact::Known(Some(SecurityHub {
                arn: "arn:aws:securityhub:us-east-1:123456789012:hub/default".into(),
                subscribed_at: Some("2024-01-01T00:00:00.000Z".into()),
            }))
        );

        // The same code for a missing permission is not "not enabled".
        let no_permission =
            mock!(aws_sdk_securityhub::Client::describe_hub).then_http_response(|| {
                security_hub_error(
                    "InvalidAccessException",
                    "The account does not have permission to perform this action",
                )
            });
        let client = mocked!(aws_sdk_securityhub, [&no_permission]);
        let u = security_hub(&ledger, &client, "us-east-1")
            .await
            .get()
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ServiceError);
        assert!(
            u.detail.starts_with("InvalidAccessException"),
            "{}",
            u.detail
        );

        let denied = mock!(aws_sdk_securityhub::Client::describe_hub).then_http_response(|| {
            let mut r = security_hub_error("AccessDeniedException", "User is not authorized");
            *r.status_mut() = StatusCode::try_from(403).unwrap();
            r
        });
        let client = mocked!(aws_sdk_securityhub, [&denied]);
        let u = security_hub(&ledger, &client, "us-east-1")
            .await
            .get()
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }

    #[tokio::test]
    async fn recorder_status_is_matched_by_name() {
        use aws_sdk_config::operation::describe_configuration_recorder_status::DescribeConfigurationRecorderStatusOutput;
        use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
        use aws_sdk_config::types::{ConfigurationRecorder, ConfigurationRecorderStatus};
        let recorders = mock!(aws_sdk_config::Client::describe_configuration_recorders)
            .then_output(|| {
                DescribeConfigurationRecordersOutput::builder()
                    .configuration_recorders(ConfigurationRecorder::builder().name("b").build())
                    .configuration_recorders(ConfigurationRecorder::builder().name("a").build())
                    .build()
            });
        let statuses = mock!(aws_sdk_config::Client::describe_configuration_recorder_status)
            .then_output(|| {
                DescribeConfigurationRecorderStatusOutput::builder()
                    .configuration_recorders_status(
                        ConfigurationRecorderStatus::builder()
                            .name("a")
                            .recording(false)
                            .build(),
                    )
                    .build()
            });
        let client = mocked!(aws_sdk_config, [&recorders, &statuses]);
        let ledger = Ledger::new(4, &NoProgress);
        let out = config_recorders(&ledger, &client, "us-east-1").await;
        let out = out.known().unwrap();
        assert_eq!(out[0].name, "a");
        assert_eq!(out[0].recording, Fact::Known(false));
        // No recording group: not every type is recorded.
        assert!(!out[0].all_supported && !out[0].include_global);
        assert_eq!(
            out[1].recording.get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }
}
