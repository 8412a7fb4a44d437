//! EKS rule tests, and the compliant cluster other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ENDPOINT: &str = "eks.private_endpoint";
const SECRETS: &str = "eks.secrets_encryption";
const LOGGING: &str = "eks.control_plane_logging";
const VERSION: &str = "eks.supported_version";
const ALL: [&str; 4] = [ENDPOINT, SECRETS, LOGGING, VERSION];

fn cluster(s: &mut Snapshot) -> &mut Cluster {
    &mut known(&mut at(&mut s.services.eks, "us-east-1").clusters)[0]
}

fn detail(s: &mut Snapshot) -> &mut ClusterDetail {
    known(&mut cluster(s).detail)
}

#[test]
fn the_compliant_cluster_passes() {
    let s = base();
    let o = only(&s, ENDPOINT, Pass);
    assert_eq!(o.resource.kind, "AwsEksCluster");
    assert_eq!(o.resource.id, "claims");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("only from the VPC"), "{}", o.message);
    only(&s, SECRETS, Pass);
    only(&s, LOGGING, Pass);
    // The test clock is 2026-11-01.
    let m = only(&s, VERSION, Pass).message;
    assert!(m.contains("1.34 is in standard support until 2026-12-02"), "{m}");
}

#[test]
fn public_endpoints() {
    let mut s = base();
    detail(&mut s).endpoint_public_access = true;
    detail(&mut s).public_access_cidrs = vec!["203.0.113.0/24".into()];
    assert!(only(&s, ENDPOINT, Pass).message.contains("203.0.113.0/24"));
    detail(&mut s).public_access_cidrs = vec!["203.0.113.0/24".into(), "0.0.0.0/0".into()];
    assert!(only(&s, ENDPOINT, Fail).message.contains("admits 0.0.0.0/0"));
    detail(&mut s).public_access_cidrs = vec![];
    only(&s, ENDPOINT, Error);
}

#[test]
fn secrets_and_logging() {
    let mut s = base();
    detail(&mut s).secrets_key_arn = None;
    assert!(only(&s, SECRETS, Fail).message.contains("AWS owned key"));
    detail(&mut s).version = "1.27".into();
    assert!(only(&s, SECRETS, Fail).message.contains("not envelope-encrypted"));
    detail(&mut s).enabled_log_types = vec!["api".into(), "scheduler".into()];
    let m = only(&s, LOGGING, Fail).message;
    assert!(m.ends_with("off for audit, authenticator"), "{m}");
    detail(&mut s).enabled_log_types = vec![];
    only(&s, LOGGING, Fail);
}

#[test]
fn versions_by_the_calendar() {
    let mut s = base();
    detail(&mut s).version = "1.32".into();
    let m = only(&s, VERSION, Fail).message;
    assert!(m.contains("ended on 2026-03-23; it runs on paid extended support until 2027-03-23"), "{m}");
    detail(&mut s).version = "1.22".into();
    let m = only(&s, VERSION, Fail).message;
    assert!(m.ends_with("ended on 2023-06-04"), "{m}");
    detail(&mut s).version = "1.15".into();
    assert!(only(&s, VERSION, Fail).message.contains("older than 1.19"));
    // Newer than every listed version, while the newest listed is still supported.
    detail(&mut s).version = "1.36".into();
    assert!(only(&s, VERSION, Pass).message.contains("newer than 1.35"));
    detail(&mut s).version = "latest".into();
    only(&s, VERSION, Error);
    cluster(&mut s).detail = denied("eks:DescribeCluster");
    for id in ALL {
        only(&s, id, Error);
    }
}

#[test]
fn a_newer_version_than_a_stale_calendar_knows_is_error() {
    let mut s = base();
    detail(&mut s).version = "1.40".into();
    s.taken_at = now();
    let outcomes = {
        let scope = crate::scope::Scope::default();
        let ctx = crate::rules::Context {
            snapshot: &s,
            scope: &scope,
            // After 1.35's standard support: the calendar cannot vouch for 1.40 any more.
            now: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 4, 1, 0, 0, 0)
                .single()
                .unwrap(),
        };
        super::rules::rules()
            .into_iter()
            .find(|r| r.id == VERSION)
            .map(|r| (r.f)(&ctx))
            .unwrap()
    };
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].status, Error);
    assert!(outcomes[0].message.contains("refresh it"), "{}", outcomes[0].message);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    at(&mut s.services.eks, "us-east-1").clusters = denied("eks:ListClusters");
    for id in ALL {
        assert_eq!(only(&s, id, Error).resource.kind, "AwsAccountRegion");
    }
    at(&mut s.services.eks, "us-east-1").clusters = Fact::Known(vec![]);
    for id in ALL {
        assert!(only(&s, id, NotApplicable)
            .message
            .contains("no EKS clusters found"));
    }
    s.services.eks = None;
    for id in ALL {
        only(&s, id, Error);
    }
}

/// The compliant section: the PHI-tagged cluster `claims` on Kubernetes 1.34 (in standard
/// support at the test clock), private endpoint only, secrets under a KMS key, and the api,
/// audit and authenticator logs on.
pub fn fixture() -> crate::evidence::Regional<EksRegion> {
    [(
        "us-east-1".to_string(),
        EksRegion {
            clusters: Fact::Known(vec![Cluster {
                name: "claims".into(),
                arn: format!("arn:aws:eks:us-east-1:{ACCOUNT}:cluster/claims"),
                tags: Fact::Known(phi_tags()),
                detail: Fact::Known(ClusterDetail {
                    version: "1.34".into(),
                    endpoint_public_access: false,
                    endpoint_private_access: true,
                    public_access_cidrs: vec!["0.0.0.0/0".into()],
                    secrets_key_arn: Some(format!(
                        "arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    )),
                    enabled_log_types: vec!["api".into(), "audit".into(), "authenticator".into()],
                }),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
