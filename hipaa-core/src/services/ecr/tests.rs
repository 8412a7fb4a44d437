//! ECR rule tests, and the compliant repository other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const SCAN: &str = "ecr.scan_on_push";
const IMMUTABLE: &str = "ecr.tag_immutability";
const KMS: &str = "ecr.kms_encryption";
const PUBLIC: &str = "ecr.not_public";
const ALL: [&str; 4] = [SCAN, IMMUTABLE, KMS, PUBLIC];

fn region(s: &mut Snapshot) -> &mut EcrRegion {
    at(&mut s.services.ecr, "us-east-1")
}

fn repo(s: &mut Snapshot) -> &mut Repository {
    &mut known(&mut region(s).repositories)[0]
}

fn scanning(s: &mut Snapshot) -> &mut RegistryScanning {
    known(&mut region(s).scanning)
}

fn rule(frequency: &str, filters: &[&str]) -> ScanningRule {
    ScanningRule {
        frequency: frequency.into(),
        filters: filters.iter().map(|f| f.to_string()).collect(),
    }
}

#[test]
fn the_compliant_repository_passes() {
    let s = base();
    let o = only(&s, SCAN, Pass);
    assert_eq!(o.resource.kind, "AwsEcrRepository");
    assert_eq!(o.resource.id, "claims-api");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("repository's scan-on-push"), "{}", o.message);
    only(&s, IMMUTABLE, Pass);
    assert!(only(&s, KMS, Pass).message.contains("alias/phi-data"));
    only(&s, PUBLIC, Pass);
}

#[test]
fn basic_scanning_by_repository_or_by_registry_filter() {
    let mut s = base();
    repo(&mut s).scan_on_push = false;
    assert!(only(&s, SCAN, Fail).message.contains("never scanned"));
    // A registry filter that covers the repository turns scanning on...
    scanning(&mut s).rules = vec![rule("SCAN_ON_PUSH", &["claims-*"])];
    assert!(only(&s, SCAN, Pass).message.contains("`claims-*`"));
    // ...and registry filters that miss it override its own setting.
    repo(&mut s).scan_on_push = true;
    scanning(&mut s).rules = vec![rule("SCAN_ON_PUSH", &["billing"])];
    assert!(only(&s, SCAN, Fail).message.contains("only scanned by hand"));
}

#[test]
fn enhanced_scanning_needs_a_matching_rule() {
    let mut s = base();
    repo(&mut s).scan_on_push = false;
    *scanning(&mut s) = RegistryScanning {
        scan_type: "ENHANCED".into(),
        rules: vec![rule("CONTINUOUS_SCAN", &["*"])],
    };
    assert!(only(&s, SCAN, Pass).message.contains("CONTINUOUS_SCAN"));
    scanning(&mut s).rules = vec![rule("SCAN_ON_PUSH", &["prod"])];
    // `claims-api` does not contain `prod`: enhanced scanning skips it, whatever its own flag.
    repo(&mut s).scan_on_push = true;
    assert!(only(&s, SCAN, Fail).message.contains("not scanned at all"));
    scanning(&mut s).scan_type = "QUANTUM".into();
    only(&s, SCAN, Error);
    region(&mut s).scanning = denied("ecr:GetRegistryScanningConfiguration");
    only(&s, SCAN, Error);
    // The other controls do not need the registry's configuration.
    only(&s, IMMUTABLE, Pass);
}

#[test]
fn tag_mutability() {
    let mut s = base();
    repo(&mut s).tag_mutability = "IMMUTABLE_WITH_EXCLUSION".into();
    assert!(only(&s, IMMUTABLE, Pass).message.contains("except"));
    repo(&mut s).tag_mutability = "MUTABLE".into();
    assert!(only(&s, IMMUTABLE, Fail).message.contains("are mutable"));
    repo(&mut s).tag_mutability = "MUTABLE_WITH_EXCLUSION".into();
    assert!(only(&s, IMMUTABLE, Fail)
        .message
        .contains("mutable with exclusion"));
    repo(&mut s).tag_mutability = "SOMETIMES".into();
    only(&s, IMMUTABLE, Error);
}

#[test]
fn encryption() {
    let mut s = base();
    repo(&mut s).encryption_type = "AES256".into();
    repo(&mut s).kms_key = None;
    assert!(only(&s, KMS, Fail).message.contains("AES-256"));
    repo(&mut s).encryption_type = "KMS_DSSE".into();
    only(&s, KMS, Pass);
    repo(&mut s).encryption_type = "ROT13".into();
    only(&s, KMS, Error);
}

#[test]
fn repository_policies() {
    let mut s = base();
    repo(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"PublicPull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#.into(),
    ));
    let m = only(&s, PUBLIC, Fail).message;
    assert!(m.contains("PublicPull (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer)"), "{m}");
    // Everyone in the organization, written as Principal * with aws:PrincipalOrgID.
    repo(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"OrgPull","Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-exampleorg"}}}]}"#.into(),
    ));
    only(&s, PUBLIC, Pass);
    repo(&mut s).policy = Fact::Known(Some("[]".into()));
    only(&s, PUBLIC, Error);
    repo(&mut s).policy = denied("ecr:GetRepositoryPolicy");
    only(&s, PUBLIC, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    region(&mut s).repositories = denied("ecr:DescribeRepositories");
    for id in ALL {
        assert_eq!(only(&s, id, Error).resource.kind, "AwsAccountRegion");
    }
    region(&mut s).repositories = Fact::Known(vec![]);
    for id in ALL {
        assert!(only(&s, id, NotApplicable)
            .message
            .contains("no ECR repositories found"));
    }
    s.services.ecr = None;
    for id in ALL {
        only(&s, id, Error);
    }
}

/// The compliant section: one PHI-tagged repository with scan on push, immutable tags, KMS
/// encryption and a policy that lets one role pull; the registry on basic scanning without rules.
pub fn fixture() -> crate::evidence::Regional<EcrRegion> {
    [(
        "us-east-1".to_string(),
        EcrRegion {
            repositories: Fact::Known(vec![Repository {
                arn: format!("arn:aws:ecr:us-east-1:{ACCOUNT}:repository/claims-api"),
                name: "claims-api".into(),
                scan_on_push: true,
                tag_mutability: "IMMUTABLE".into(),
                encryption_type: "KMS".into(),
                kms_key: Some("alias/phi-data".into()),
                tags: Fact::Known(phi_tags()),
                policy: Fact::Known(Some(format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"CiPull","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:role/ci"}},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}}]}}"#
                ))),
            }]),
            scanning: Fact::Known(RegistryScanning {
                scan_type: "BASIC".into(),
                rules: vec![],
            }),
        },
    )]
    .into_iter()
    .collect()
}
