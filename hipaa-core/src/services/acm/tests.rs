//! ACM rule tests, and the compliant certificate other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status::*;

const EXPIRY: &str = "acm.cert_not_expiring";
const KEY: &str = "acm.cert_key_strength";
const RENEWAL: &str = "acm.cert_renewal_ok";

fn cert(s: &mut Snapshot) -> &mut Certificate {
    &mut known(&mut at(&mut s.services.acm, "us-east-1").certificates)[0]
}

#[test]
fn the_compliant_certificate_passes() {
    let s = base();
    let o = only(&s, EXPIRY, Pass);
    assert!(o.message.contains("(200 days)"), "{}", o.message);
    assert_eq!(o.resource.kind, "AwsCertificateManagerCertificate");
    assert_eq!(o.resource.id, "c-1");
    assert_eq!(o.resource.name.as_deref(), Some("portal.example.com"));
    assert_eq!(o.resource.phi, Some(true));
    assert!(only(&s, KEY, Pass).message.contains("2048 bits"));
    only(&s, RENEWAL, Pass);
}

#[test]
fn expiring_or_expired_certificates_fail_under_the_scope_threshold() {
    let mut s = base();
    cert(&mut s).not_after = Some(now() + chrono::Duration::days(10));
    let m = only(&s, EXPIRY, Fail).message;
    assert!(m.contains("in 10 day(s), less than the 30-day minimum"), "{m}");
    assert!(m.contains("acm.cert_renewal_ok"), "{m}");
    let mut scope = Scope::default();
    scope.thresholds.cert_expiry_min_days = 7;
    assert_eq!(statuses_in(&s, EXPIRY, &scope), vec![Pass]);
    cert(&mut s).not_after = Some(now() - chrono::Duration::days(3));
    cert(&mut s).status = Some("EXPIRED".into());
    cert(&mut s).kind = Some("IMPORTED".into());
    let m = only(&s, EXPIRY, Fail).message;
    assert!(m.contains("expired on") && m.contains("import a new one"), "{m}");
    cert(&mut s).not_after = None;
    only(&s, EXPIRY, Error);
}

#[test]
fn weak_or_unknown_keys() {
    let mut s = base();
    cert(&mut s).key_algorithm = Some("RSA_1024".into());
    assert!(only(&s, KEY, Fail).message.contains("1024 bits"));
    cert(&mut s).key_algorithm = Some("EC_prime256v1".into());
    only(&s, KEY, Pass);
    cert(&mut s).key_algorithm = Some("ML_DSA_65".into());
    only(&s, KEY, Error);
    cert(&mut s).key_algorithm = None;
    only(&s, KEY, Error);
}

#[test]
fn failed_or_stuck_renewals_fail() {
    let mut s = base();
    cert(&mut s).renewal = Some(Fact::Known(Some(Renewal {
        status: "FAILED".into(),
        reason: Some("NO_AVAILABLE_CONTACTS".into()),
    })));
    assert!(only(&s, RENEWAL, Fail).message.contains("failed (`NO_AVAILABLE_CONTACTS`)"));
    cert(&mut s).renewal = Some(Fact::Known(Some(Renewal {
        status: "PENDING_VALIDATION".into(),
        reason: None,
    })));
    only(&s, RENEWAL, Fail);
    cert(&mut s).renewal = Some(Fact::Known(Some(Renewal {
        status: "PENDING_AUTO_RENEWAL".into(),
        reason: None,
    })));
    only(&s, RENEWAL, Pass);
    cert(&mut s).renewal = Some(denied("acm:DescribeCertificate"));
    only(&s, RENEWAL, Error);
    cert(&mut s).renewal = None;
    only(&s, RENEWAL, Error);
    cert(&mut s).kind = Some("IMPORTED".into());
    only(&s, RENEWAL, NotApplicable);
}

#[test]
fn certificates_that_serve_nothing_are_not_judged() {
    let mut s = base();
    cert(&mut s).in_use = Some(false);
    for id in [EXPIRY, KEY, RENEWAL] {
        assert!(only(&s, id, NotApplicable).message.contains("no AWS resource uses"));
    }
    cert(&mut s).in_use = None;
    cert(&mut s).status = Some("PENDING_VALIDATION".into());
    only(&s, KEY, NotApplicable);
    cert(&mut s).status = None;
    only(&s, KEY, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    at(&mut s.services.acm, "us-east-1").certificates = denied("acm:ListCertificates");
    for id in [EXPIRY, KEY, RENEWAL] {
        only(&s, id, Error);
    }
    at(&mut s.services.acm, "us-east-1").certificates = Fact::Known(vec![]);
    only(&s, EXPIRY, NotApplicable);
    s.services.acm = None;
    only(&s, EXPIRY, Error);
}

/// The compliant section: one PHI-tagged, AWS-issued RSA 2048 certificate in use in us-east-1,
/// valid for 200 more days, no renewal pending.
pub fn fixture() -> crate::evidence::Regional<AcmRegion> {
    [(
        "us-east-1".to_string(),
        AcmRegion {
            certificates: Fact::Known(vec![Certificate {
                arn: format!("arn:aws:acm:us-east-1:{ACCOUNT}:certificate/c-1"),
                domain: Some("portal.example.com".into()),
                status: Some("ISSUED".into()),
                kind: Some("AMAZON_ISSUED".into()),
                key_algorithm: Some("RSA_2048".into()),
                not_after: Some(now() + chrono::Duration::days(200)),
                in_use: Some(true),
                tags: Fact::Known(phi_tags()),
                renewal: Some(Fact::Known(None)),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
