//! WAFv2 rule tests, and the compliant web ACLs other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const RULES: &str = "wafv2.web_acl_has_rules";
const LOGGING: &str = "wafv2.logging";

fn regional(s: &mut Snapshot) -> &mut WebAcl {
    let waf = sect(&mut s.services.wafv2);
    match waf.regional.get_mut("us-east-1") {
        Some(r) => &mut known(&mut r.web_acls)[0],
        None => panic!("no us-east-1"),
    }
}

fn global(s: &mut Snapshot) -> &mut WebAcl {
    &mut known(&mut sect(&mut s.services.wafv2).cloudfront)[0]
}

fn acl(arn: &str, name: &str, rules: &[&str]) -> WebAcl {
    WebAcl {
        arn: arn.into(),
        name: name.into(),
        id: "id-1".into(),
        tags: Fact::Known(Tags::new()),
        definition: Fact::Known(AclDefinition {
            rules: rules.iter().map(|r| r.to_string()).collect(),
            default_action: "allow".into(),
        }),
        logging: Fact::Known(Some(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-{name}"
        ))),
    }
}

#[test]
fn regional_and_cloudfront_acls_pass_each_once() {
    let s = base();
    let o = outcomes(&s, RULES);
    assert_eq!(o.len(), 2);
    assert!(o.iter().all(|o| o.status == Pass));
    assert_eq!(o[0].resource.region.as_deref(), Some("us-east-1"));
    assert_eq!(o[0].resource.kind, "AwsWafv2WebAcl");
    assert_eq!(o[1].resource.region, None);
    assert_eq!(o[1].resource.id, "cdn-edge");
    assert_eq!(statuses(&s, LOGGING), vec![Pass, Pass]);
}

#[test]
fn empty_acls_and_acls_without_logs_fail() {
    let mut s = base();
    known(&mut regional(&mut s).definition).rules.clear();
    assert!(outcomes(&s, RULES)[0].message.contains("default action (allow)"));
    assert_eq!(statuses(&s, RULES), vec![Fail, Pass]);
    global(&mut s).logging = Fact::Known(None);
    assert_eq!(statuses(&s, LOGGING), vec![Pass, Fail]);
    global(&mut s).logging = denied("wafv2:GetLoggingConfiguration");
    regional(&mut s).definition = denied("wafv2:GetWebACL");
    assert_eq!(statuses(&s, LOGGING), vec![Pass, Error]);
    assert_eq!(statuses(&s, RULES), vec![Error, Pass]);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    sect(&mut s.services.wafv2).cloudfront = denied("wafv2:ListWebACLs");
    let o = outcomes(&s, RULES);
    assert_eq!(o[1].status, Error);
    assert_eq!(o[1].resource.kind, "AwsAccount");
    if let Some(r) = sect(&mut s.services.wafv2).regional.get_mut("us-east-1") {
        r.web_acls = denied("wafv2:ListWebACLs");
    }
    assert_eq!(statuses(&s, RULES), vec![Error, Error]);
    sect(&mut s.services.wafv2).cloudfront = Fact::Known(vec![]);
    if let Some(r) = sect(&mut s.services.wafv2).regional.get_mut("us-east-1") {
        r.web_acls = Fact::Known(vec![]);
    }
    only(&s, RULES, NotApplicable);
    // A scanned region without WAF evidence is ERROR, not "no ACLs".
    s.regions.push("eu-west-1".into());
    only(&s, RULES, Error);
    s.services.wafv2 = None;
    only(&s, LOGGING, Error);
}

/// The compliant section: the REGIONAL web ACL `edge` in us-east-1 and the CLOUDFRONT web ACL
/// `cdn-edge`, each with the AWS managed common rule set and logs to CloudWatch Logs.
pub fn fixture() -> Wafv2Evidence {
    Wafv2Evidence {
        regional: [(
            "us-east-1".to_string(),
            Wafv2Region {
                web_acls: Fact::Known(vec![acl(
                    &format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/edge/id-1"),
                    "edge",
                    &["AWS-AWSManagedRulesCommonRuleSet"],
                )]),
            },
        )]
        .into_iter()
        .collect(),
        cloudfront: Fact::Known(vec![acl(
            &format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/cdn-edge/id-2"),
            "cdn-edge",
            &["AWS-AWSManagedRulesCommonRuleSet"],
        )]),
    }
}
