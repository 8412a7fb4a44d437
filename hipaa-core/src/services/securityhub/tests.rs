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

/// One region's subscription.
pub fn region_fixture(region: &str) -> SecurityHubRegion {
    SecurityHubRegion {
        hub: Fact::Known(Some(SecurityHub {
            arn: format!("arn:aws:securityhub:{region}:{ACCOUNT}:hub/default"),
            subscribed_at: None,
        })),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<SecurityHubRegion> {
    [("us-east-1".to_string(), region_fixture("us-east-1"))]
        .into_iter()
        .collect()
}
