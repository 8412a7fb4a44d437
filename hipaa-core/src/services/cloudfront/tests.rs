//! CloudFront rule tests, and the compliant distribution other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const VIEWER: &str = "cloudfront.viewer_https";
const VIEWER_TLS: &str = "cloudfront.viewer_tls12";
const ORIGIN: &str = "cloudfront.origin_https";
const ORIGIN_TLS: &str = "cloudfront.origin_tls12";
const LOGGING: &str = "cloudfront.logging";
const WAF: &str = "cloudfront.waf";
const ALL: [&str; 6] = [VIEWER, VIEWER_TLS, ORIGIN, ORIGIN_TLS, LOGGING, WAF];

fn dist(s: &mut Snapshot) -> &mut Distribution {
    &mut known(&mut sect(&mut s.services.cloudfront).distributions)[0]
}

fn custom(policy: &str, protocols: &[&str]) -> OriginKind {
    OriginKind::Custom {
        protocol_policy: policy.into(),
        ssl_protocols: protocols.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn the_compliant_distribution_passes_once_per_account() {
    let s = base();
    for id in ALL {
        only(&s, id, Pass);
    }
    let o = only(&s, WAF, Pass);
    assert_eq!(o.resource.kind, "AwsCloudFrontDistribution");
    assert_eq!(o.resource.region, None);
    assert_eq!(o.resource.name.as_deref(), Some("portal.example.com"));
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("`cdn-edge`"), "{}", o.message);
}

#[test]
fn plain_http_viewers_fail_and_so_do_their_match_viewer_origins() {
    let mut s = base();
    dist(&mut s).behaviors[1].viewer_protocol_policy = "allow-all".into();
    assert!(only(&s, VIEWER, Fail).message.contains("`/static/*`"));
    // The S3 origin behind it gets the viewer's protocol.
    let m = only(&s, ORIGIN, Fail).message;
    assert!(m.contains("`assets.s3.us-east-1.amazonaws.com` gets the viewer's protocol"), "{m}");
    assert!(!m.contains("api.example.com"), "{m}");
}

#[test]
fn origins_over_http_or_old_tls_fail() {
    let mut s = base();
    dist(&mut s).origins[0].kind = custom("http-only", &["TLSv1.2"]);
    assert!(only(&s, ORIGIN, Fail).message.contains("plain HTTP (http-only)"));
    only(&s, ORIGIN_TLS, NotApplicable);
    dist(&mut s).origins[0].kind = custom("https-only", &["TLSv1", "TLSv1.2"]);
    only(&s, ORIGIN, Pass);
    assert!(only(&s, ORIGIN_TLS, Fail).message.contains("with TLSv1"));
    dist(&mut s).origins[0].kind = custom("https-only", &[]);
    only(&s, ORIGIN_TLS, Error);
    dist(&mut s).origins[0].kind = OriginKind::Vpc;
    only(&s, ORIGIN, Error);
}

#[test]
fn viewer_tls_floor_applies_to_custom_certificates() {
    let mut s = base();
    dist(&mut s).viewer_certificate.minimum_protocol = Some("TLSv1.2_2019".into());
    assert!(only(&s, VIEWER_TLS, Fail).message.contains("`TLSv1.2_2019`"));
    dist(&mut s).viewer_certificate.minimum_protocol = None;
    only(&s, VIEWER_TLS, Error);
    dist(&mut s).viewer_certificate.custom_certificate = None;
    only(&s, VIEWER_TLS, NotApplicable);
}

#[test]
fn logging_and_waf() {
    let mut s = base();
    dist(&mut s).logging = Fact::Known(None);
    only(&s, LOGGING, Fail);
    dist(&mut s).behaviors[0].realtime_log_config = Some("arn:aws:cloudfront::1:realtime-log-config/rt".into());
    assert!(only(&s, LOGGING, Pass).message.contains("real-time"));
    dist(&mut s).logging = denied("cloudfront:GetDistributionConfig");
    only(&s, LOGGING, Error);
    dist(&mut s).web_acl = None;
    only(&s, WAF, Fail);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    sect(&mut s.services.cloudfront).distributions = denied("cloudfront:ListDistributions");
    for id in ALL {
        assert_eq!(only(&s, id, Error).resource.kind, "AwsAccount", "{id}");
    }
    sect(&mut s.services.cloudfront).distributions = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
    s.services.cloudfront = None;
    only(&s, VIEWER, Error);
}

/// The compliant section: the PHI-tagged distribution `portal.example.com` (an ACM certificate
/// with TLSv1.2_2021, a custom origin over HTTPS with TLS 1.2 and an S3 origin behind HTTPS-only
/// viewers, standard logs, a WAFv2 web ACL).
pub fn fixture() -> CloudFrontEvidence {
    let behavior = |path: Option<&str>, policy: &str, origin: &str| CacheBehavior {
        path: path.map(str::to_string),
        viewer_protocol_policy: policy.into(),
        target_origin: origin.into(),
        realtime_log_config: None,
    };
    CloudFrontEvidence {
        distributions: Fact::Known(vec![Distribution {
            id: "E1PORTAL".into(),
            arn: format!("arn:aws:cloudfront::{ACCOUNT}:distribution/E1PORTAL"),
            domain_name: "d1.cloudfront.net".into(),
            aliases: vec!["portal.example.com".into()],
            enabled: true,
            tags: Fact::Known(phi_tags()),
            behaviors: vec![
                behavior(None, "redirect-to-https", "api"),
                behavior(Some("/static/*"), "https-only", "assets"),
            ],
            viewer_certificate: ViewerCertificate {
                custom_certificate: Some(format!("arn:aws:acm:us-east-1:{ACCOUNT}:certificate/c-1")),
                minimum_protocol: Some("TLSv1.2_2021".into()),
            },
            origins: vec![
                Origin {
                    id: "api".into(),
                    domain_name: "api.example.com".into(),
                    kind: custom("https-only", &["TLSv1.2"]),
                },
                Origin {
                    id: "assets".into(),
                    domain_name: "assets.s3.us-east-1.amazonaws.com".into(),
                    kind: OriginKind::S3,
                },
            ],
            web_acl: Some(format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/cdn-edge/abc")),
            logging: Fact::Known(Some("cf-logs.s3.amazonaws.com".into())),
        }]),
    }
}
