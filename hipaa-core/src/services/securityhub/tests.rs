//! Security Hub rule tests, and the compliant subscription other tests start from.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;
use crate::vocabulary::Status::*;

#[test]
fn securityhub() {
    let id = "securityhub.enabled";
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    at(&mut s.services.securityhub, "us-east-1").hub = Fact::Known(None);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.securityhub, "us-east-1").hub = denied("securityhub:DescribeHub");
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn standards_enabled() {
    let id = "securityhub.standards_enabled";
    let mut s = snapshot_with(vec![]);
    assert_eq!(
        messages(&s, id),
        vec![(
            Pass,
            "enabled: `aws-foundational-security-best-practices/v/1.0.0`".to_string()
        )]
    );
    at(&mut s.services.securityhub, "us-east-1").standards = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.securityhub, "us-east-1").standards = Fact::Known(vec![EnabledStandard {
        arn: "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0".into(),
        status: "FAILED".into(),
    }]);
    assert_eq!(
        messages(&s, id),
        vec![(
            Fail,
            "no standard is ready: `cis-aws-foundations-benchmark/v/1.2.0` is FAILED".to_string()
        )]
    );
    at(&mut s.services.securityhub, "us-east-1").standards =
        denied("securityhub:GetEnabledStandards");
    assert_eq!(statuses(&s, id), vec![Error]);
    // Not subscribed: FAIL from the hub's own answer, whatever the standards say.
    at(&mut s.services.securityhub, "us-east-1").hub = Fact::Known(None);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.securityhub, "us-east-1").hub = denied("securityhub:DescribeHub");
    assert_eq!(statuses(&s, id), vec![Error]);
    // A scanned region without evidence.
    let mut s = snapshot_with(vec![]);
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, id), vec![Pass, Error]);
}

/// One region's subscription.
pub fn region_fixture(region: &str) -> SecurityHubRegion {
    SecurityHubRegion {
        hub: Fact::Known(Some(SecurityHub {
            arn: format!("arn:aws:securityhub:{region}:{ACCOUNT}:hub/default"),
            subscribed_at: None,
        })),
        standards: Fact::Known(vec![EnabledStandard {
            arn: format!("arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"),
            status: "READY".into(),
        }]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<SecurityHubRegion> {
    [("us-east-1".to_string(), region_fixture("us-east-1"))]
        .into_iter()
        .collect()
}
