//! The organization other tests start from: a member account in `ou-phi` under an SCP that
//! denies everything outside a few eligible services.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;

/// An SCP that denies everything outside `prefixes`.
pub fn deny_outside(prefixes: &[&str]) -> String {
    let list: Vec<String> = prefixes.iter().map(|p| format!("\"{p}:*\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyIneligible","Effect":"Deny","NotAction":[{}],"Resource":"*"}}]}}"#,
        list.join(",")
    )
}

pub fn scp(id: &str, content: &str, targets: &[&str]) -> Scp {
    Scp {
        id: id.into(),
        name: id.into(),
        arn: format!(
            "arn:aws:organizations::{MANAGEMENT}:policy/o-test/service_control_policy/{id}"
        ),
        aws_managed: id == "p-FullAWSAccess",
        content: Fact::Known(content.into()),
        targets: Fact::Known(targets.iter().map(|t| t.to_string()).collect()),
    }
}

/// The compliant section.
pub fn fixture() -> OrganizationsEvidence {
    OrganizationsEvidence {
        organization: Fact::Known(Some(Organization {
            id: "o-test".into(),
            arn: format!("arn:aws:organizations::{MANAGEMENT}:organization/o-test"),
            management_account: MANAGEMENT.into(),
            feature_set: "ALL".into(),
        })),
        accounts: Fact::Known(vec![
            OrgAccount {
                id: MANAGEMENT.into(),
                name: "management".into(),
                status: "ACTIVE".into(),
            },
            OrgAccount {
                id: ACCOUNT.into(),
                name: "phi".into(),
                status: "ACTIVE".into(),
            },
        ]),
        parents: Fact::Known(vec!["ou-phi".into(), "r-root".into()]),
        scps: Fact::Known(vec![
            scp(
                "p-FullAWSAccess",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                &["r-root"],
            ),
            scp(
                "p-eligible",
                &deny_outside(&["s3", "kms", "iam", "sts", "dynamodb", "cloudtrail"]),
                &["ou-phi"],
            ),
        ]),
    }
}
