//! AWS CloudTrail: the trails of every scanned region.
//!
//! Trails are listed in every region (`DescribeTrails` with shadow trails), then each distinct
//! trail ARN is read once (`GetTrailStatus`, `GetEventSelectors`) from the trail's home region
//! and the answer is copied into every region that lists it. Log events are never read.

use crate::ledger::Ledger;
use crate::regional::{client_in, ClientCache};
use crate::scan::Scan;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Regional, Unknown, UnknownReason};
use hipaa_core::services::cloudtrail::evidence::{CloudTrailRegion, Trail, TrailSelectors};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const STAGE: &str = "cloudtrail";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<CloudTrailRegion>> {
    scan.ledger.plan(scan.regions.len() as u64, STAGE);
    let config = scan.config.clone();
    let clients = ClientCache::new(move |r| client_in!(aws_sdk_cloudtrail, &config, r));
    let mut listed = trails(&scan.ledger, &scan.regions, &clients).await;
    Some(
        scan.regions
            .iter()
            .map(|r| {
                let trails = listed.remove(r).unwrap_or_else(|| {
                    Fact::Unknown(Unknown::new(
                        UnknownReason::NotCollected,
                        "cloudtrail:DescribeTrails",
                        "the region's trails were not listed",
                    ))
                });
                (r.clone(), CloudTrailRegion { trails })
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

/// Each region's trails, with status and selectors read once per distinct trail ARN.
async fn trails(
    ledger: &Ledger<'_>,
    regions: &[String],
    clients: &ClientCache<aws_sdk_cloudtrail::Client>,
) -> HashMap<String, Fact<Vec<Trail>>> {
    let listings: Vec<(String, Result<Vec<Trail>, Unknown>)> =
        stream::iter(regions.iter().cloned())
            .map(|r| async move {
                let c = clients.get(&r);
                let l = describe_trails(ledger, &c, &r).await;
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
                trail_status(ledger, &c, &arn),
                trail_selectors(ledger, &c, &arn)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::mocks::{json_error, mocked_rules};
    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource};
    use aws_smithy_mocks::mock;
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

    #[tokio::test]
    async fn each_trail_is_read_once_and_failed_reads_stay_unknown() {
        use aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput;
        use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
        use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
        const TRAIL_A: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";
        const TRAIL_B: &str = "arn:aws:cloudtrail:us-west-2:123456789012:trail/legacy";
        // The same answers in every region: the multi-region trail `audit` (home us-east-1) and,
        // for the test's sake, `legacy` (home us-west-2) are listed in both.
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
                json_error(
                    400,
                    "AccessDeniedException",
                    "User is not authorized to perform: cloudtrail:GetTrailStatus",
                    "application/x-amz-json-1.1",
                )
            });
        let selectors = mock!(aws_sdk_cloudtrail::Client::get_event_selectors).then_output(|| {
            GetEventSelectorsOutput::builder()
                .event_selectors(classic(ReadWriteType::All, true, &[]))
                .build()
        });
        let client = mocked_rules!(
            aws_sdk_cloudtrail,
            [&describe_trails, &status_a, &status_b, &selectors]
        );
        let ledger = Ledger::new(8, &NoProgress);
        let regions = vec!["us-east-1".to_string(), "us-west-2".to_string()];
        // The same mocked client answers for every region.
        let clients = ClientCache::new(move |_| client.clone());
        let out = trails(&ledger, &regions, &clients).await;

        assert_eq!(describe_trails.num_calls(), 2);
        assert_eq!(status_a.num_calls(), 1);
        assert_eq!(status_b.num_calls(), 1);
        assert_eq!(selectors.num_calls(), 2);
        assert_eq!(out.len(), 2);
        for (region, listing) in &out {
            let trails = listing.known().unwrap();
            assert_eq!(trails.len(), 2, "{region}");
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
        }
        let log = ledger.log();
        assert_eq!(log.calls["cloudtrail:GetTrailStatus"], 2);
        let failed: Vec<(&str, &str)> = log
            .failures
            .iter()
            .map(|f| (f.operation.as_str(), f.resource.as_str()))
            .collect();
        assert_eq!(failed, vec![("cloudtrail:GetTrailStatus", TRAIL_B)]);
    }
}
