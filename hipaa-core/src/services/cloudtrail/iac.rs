//! CloudTrail in infrastructure code: `AWS::CloudTrail::Trail` and Terraform's `aws_cloudtrail`,
//! with their event selectors (basic and advanced). A trail without selectors records read and
//! write management events, as CloudTrail gives a new trail.

use super::evidence::{CloudTrailRegion, Trail, TrailSelectors};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const TRAILS: &[&str] = &["AWS::CloudTrail::Trail", "aws_cloudtrail"];
const BUCKETS: &[&str] = &["AWS::S3::Bucket", "aws_s3_bucket"];

/// The CloudTrail section from every trail of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, TRAILS) {
        return;
    }
    let section = by_region(
        sources,
        || CloudTrailRegion {
            trails: Fact::Known(Vec::new()),
        },
        |src, region| {
            let trails: Vec<Trail> = src.of(TRAILS).map(|r| trail(src, r, out)).collect();
            if let Fact::Known(list) = &mut region.trails {
                list.extend(trails);
            }
        },
    );
    out.services.cloudtrail = Some(section);
}

fn bucket_name(r: &Res) -> Option<String> {
    match r.props.get(if r.kind == "AWS::S3::Bucket" { "BucketName" } else { "bucket" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn trail(src: &Source, r: &Res, out: &mut Converted) -> Trail {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let k = |c: &'static str, t: &'static str| (if cfn { c } else { t }, if cfn { p.get(c) } else { p.get(t) });
    let mut flag = |c: &'static str, t: &'static str, controls: &[&str]| {
        let (name, v) = k(c, t);
        let read = v.boolean(name).map(|b| b.unwrap_or(false));
        out.or_open(r, &arn, controls, read, false)
    };
    let multi_region = flag("IsMultiRegionTrail", "is_multi_region_trail", &["cloudtrail.enabled"]);
    let organization = flag("IsOrganizationTrail", "is_organization_trail", &["cloudtrail.enabled"]);
    let log_file_validation = flag("EnableLogFileValidation", "enable_log_file_validation", &["cloudtrail.log_validation"]);
    let (kname, kv) = k("KMSKeyId", "kms_key_id");
    let kms_key_id = out.or_open(r, &arn, &["cloudtrail.kms_encryption"], kv.name(kname), None);
    let (gname, gv) = k("CloudWatchLogsLogGroupArn", "cloud_watch_logs_group_arn");
    let cloudwatch_log_group_arn = out.or_open(r, &arn, &["cloudtrail.cloudwatch_delivery"], gv.name(gname), None);
    let (bname, _) = k("S3BucketName", "s3_bucket_name");
    let s3_bucket = match src.link(r, &[bname], BUCKETS, bucket_name) {
        Link::None => None,
        Link::To(b) => Some(b.id.clone()),
        Link::Outside(n) => Some(n),
        Link::Open(u) => {
            out.open(r, &arn, &["cloudtrail.bucket_secure"], u);
            None
        }
    };
    let (lname, lv) = k("IsLogging", "enable_logging");
    let is_logging = lv.boolean(lname).map(|b| b.unwrap_or(true));
    let selectors = if cfn {
        selectors(p.get("EventSelectors"), p.get("AdvancedEventSelectors"), true)
    } else {
        selectors(p.get("event_selector"), p.get("advanced_event_selector"), false)
    };
    Trail {
        name: r.id.clone(),
        arn,
        home_region: src.region.clone(),
        multi_region,
        organization,
        log_file_validation,
        kms_key_id,
        cloudwatch_log_group_arn,
        s3_bucket,
        is_logging: is_logging.into(),
        selectors: selectors.into(),
    }
}

/// What the selectors record; none at all means every read and write management event.
fn selectors(basic: &Val, advanced: &Val, cfn: bool) -> Result<TrailSelectors, Unknown> {
    let key = |c: &'static str, t: &'static str| if cfn { c } else { t };
    let basic = basic.items("EventSelectors")?;
    let advanced = advanced.items("AdvancedEventSelectors")?;
    if basic.is_empty() && advanced.is_empty() {
        return Ok(TrailSelectors {
            management_events: true,
            s3_data_prefixes: Vec::new(),
        });
    }
    let mut out = TrailSelectors::default();
    for s in basic {
        let rw = s.get(key("ReadWriteType", "read_write_type")).text("EventSelectors.ReadWriteType")?;
        let all = rw.as_deref().is_none_or(|x| x == "All");
        let mgmt = s
            .get(key("IncludeManagementEvents", "include_management_events"))
            .boolean("EventSelectors.IncludeManagementEvents")?
            .unwrap_or(true);
        if mgmt && all {
            out.management_events = true;
        }
        for d in s.get(key("DataResources", "data_resource")).items("EventSelectors.DataResources")? {
            if d.get(key("Type", "type")).text("DataResources.Type")?.as_deref() != Some("AWS::S3::Object") || !all {
                continue;
            }
            for v in d.get(key("Values", "values")).items("DataResources.Values")? {
                if let Some(p) = v.name("DataResources.Values")? {
                    out.s3_data_prefixes.push(p);
                }
            }
        }
    }
    for s in advanced {
        let fields = s.get(key("FieldSelectors", "field_selector")).items("AdvancedEventSelectors.FieldSelectors")?;
        let mut category = None;
        let mut kind = None;
        let mut read_only = None;
        let mut prefixes = Vec::new();
        let mut narrowed = false;
        for f in fields {
            let name = f.get(key("Field", "field")).text("FieldSelectors.Field")?.unwrap_or_default();
            let equals: Vec<String> = f
                .get(key("Equals", "equals"))
                .items("FieldSelectors.Equals")?
                .into_iter()
                .map(|v| v.name("FieldSelectors.Equals").map(Option::unwrap_or_default))
                .collect::<Result<_, _>>()?;
            match name.as_str() {
                "eventCategory" => category = equals.first().cloned(),
                "resources.type" => kind = equals.first().cloned(),
                "readOnly" => read_only = equals.first().cloned(),
                "resources.ARN" => {
                    for v in f.get(key("StartsWith", "starts_with")).items("FieldSelectors.StartsWith")? {
                        prefixes.push(v.name("FieldSelectors.StartsWith")?.unwrap_or_default());
                    }
                    prefixes.extend(equals);
                }
                _ => narrowed = true,
            }
        }
        if read_only.is_some() || narrowed {
            continue;
        }
        match (category.as_deref(), kind.as_deref()) {
            (Some("Management"), _) => out.management_events = true,
            (Some("Data"), Some("AWS::S3::Object")) => {
                if prefixes.is_empty() {
                    out.s3_data_prefixes.push("arn:aws:s3".into());
                } else {
                    out.s3_data_prefixes.extend(prefixes);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
