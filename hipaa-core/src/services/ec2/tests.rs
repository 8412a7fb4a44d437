//! The EC2 evidence other tests start from.

use super::evidence::*;
use crate::evidence::Fact;

/// The compliant section: no instances in us-east-1.
pub fn fixture() -> crate::evidence::Regional<Ec2Region> {
    [(
        "us-east-1".to_string(),
        Ec2Region {
            instances: Fact::Known(vec![]),
        },
    )]
    .into_iter()
    .collect()
}
