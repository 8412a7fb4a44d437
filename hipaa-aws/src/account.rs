//! The account itself: who it is (STS) and which regions it can use (EC2 `DescribeRegions`),
//! and from those, which regions a scan reads.

use crate::clients::client;
use crate::scan::Scan;
use hipaa_core::aws::arn::region_in_partition;
use hipaa_core::evidence::account::AccountRegion;
use hipaa_core::evidence::Fact;

/// The account id and partition, from STS.
pub(crate) async fn identity(scan: &Scan<'_>) -> (Fact<String>, String) {
    let ledger = &scan.ledger;
    ledger.plan(1, "identity");
    let sts = client!(aws_sdk_sts, &scan.config);
    let identity = ledger
        .must(
            "sts:GetCallerIdentity",
            "",
            sts.get_caller_identity().send(),
        )
        .await;
    ledger.tick("identity");
    match identity {
        Ok(out) => {
            let partition = out
                .arn()
                .and_then(|a| a.split(':').nth(1))
                .unwrap_or("aws")
                .to_string();
            match out.account() {
                Some(a) => (Fact::Known(a.to_string()), partition),
                None => {
                    let u = ledger.fail(
                        "sts:GetCallerIdentity",
                        "",
                        (
                            hipaa_core::UnknownReason::ParseError,
                            "no account in the answer".into(),
                        ),
                    );
                    (Fact::Unknown(u), partition)
                }
            }
        }
        Err(u) => (Fact::Unknown(u), "aws".to_string()),
    }
}

/// The regions the snapshot reports (`requested`) and the ones actually read (`to_scan`).
///
/// Named regions are all reported, but one the account has not enabled is never called: its
/// facts stay unknown with the reason. With none named, every enabled region of the partition is
/// scanned; if the list is unknown, only the configured region is (and `scope.regions_scanned`
/// says so as ERROR).
pub(crate) fn choose_regions(
    named: &[String],
    listed: &Fact<Vec<AccountRegion>>,
    partition: &str,
    home: &str,
) -> (Vec<String>, Vec<String>) {
    let known = listed.known();
    if !named.is_empty() {
        let mut requested: Vec<String> = Vec::new();
        for r in named {
            if !requested.contains(r) {
                requested.push(r.clone());
            }
        }
        let disabled = |r: &String| {
            known.is_some_and(|l| l.iter().any(|a| &a.name == r && !a.opt_in.enabled()))
        };
        let to_scan = requested.iter().filter(|r| !disabled(r)).cloned().collect();
        return (requested, to_scan);
    }
    let enabled: Vec<String> = known
        .map(|l| {
            l.iter()
                .filter(|a| a.opt_in.enabled() && region_in_partition(&a.name, partition))
                .map(|a| a.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let chosen = if enabled.is_empty() {
        vec![home.to_string()]
    } else {
        enabled
    };
    (chosen.clone(), chosen)
}

#[cfg(not(feature = "ec2"))]
pub(crate) async fn regions(_scan: &Scan<'_>) -> Fact<Vec<AccountRegion>> {
    Fact::Unknown(hipaa_core::evidence::Unknown::new(
        hipaa_core::evidence::UnknownReason::NotCollected,
        "ec2:DescribeRegions",
        "this build of hipaa-aws has no EC2 support (the `ec2` feature is off)",
    ))
}

/// Every region EC2 knows for this account, enabled or not (`AllRegions`), from the configured
/// region.
#[cfg(feature = "ec2")]
pub(crate) async fn regions(scan: &Scan<'_>) -> Fact<Vec<AccountRegion>> {
    let client = client!(aws_sdk_ec2, &scan.config);
    regions_of(&scan.ledger, &client).await
}

#[cfg(feature = "ec2")]
async fn regions_of(
    l: &crate::ledger::Ledger<'_>,
    client: &aws_sdk_ec2::Client,
) -> Fact<Vec<AccountRegion>> {
    use hipaa_core::evidence::account::RegionOptIn;
    const OP: &str = "ec2:DescribeRegions";
    l.plan(1, "regions");
    let answer = l
        .must(OP, "", client.describe_regions().all_regions(true).send())
        .await;
    l.tick("regions");
    let answer = match answer {
        Ok(a) => a,
        Err(u) => return Fact::Unknown(u),
    };
    let mut out = Vec::new();
    for r in answer.regions() {
        let Some(name) = r.region_name() else {
            return Fact::Unknown(l.parse_error(OP, "", "a region without a name"));
        };
        out.push(AccountRegion {
            name: name.to_string(),
            // Regions listed without a status predate opt-in regions: always enabled.
            opt_in: r
                .opt_in_status()
                .map_or(RegionOptIn::NotRequired, RegionOptIn::parse),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Fact::Known(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipaa_core::evidence::account::RegionOptIn;
    use hipaa_core::evidence::{Unknown, UnknownReason};

    fn listed() -> Fact<Vec<AccountRegion>> {
        Fact::Known(
            [
                ("ap-east-1", RegionOptIn::NotOptedIn),
                ("cn-north-1", RegionOptIn::NotRequired),
                ("eu-south-2", RegionOptIn::OptedIn),
                ("us-east-1", RegionOptIn::NotRequired),
            ]
            .into_iter()
            .map(|(n, o)| AccountRegion {
                name: n.into(),
                opt_in: o,
            })
            .collect(),
        )
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_enabled_region_of_the_partition_by_default() {
        let (req, scan) = choose_regions(&[], &listed(), "aws", "us-east-1");
        assert_eq!(req, names(&["eu-south-2", "us-east-1"]));
        assert_eq!(scan, req);
    }

    #[test]
    fn named_regions_are_kept_but_disabled_ones_are_not_called() {
        let named = names(&["us-east-1", "ap-east-1", "us-east-1", "us-west-9"]);
        let (req, scan) = choose_regions(&named, &listed(), "aws", "us-east-1");
        assert_eq!(req, names(&["us-east-1", "ap-east-1", "us-west-9"]));
        assert_eq!(scan, names(&["us-east-1", "us-west-9"]));
    }

    #[test]
    fn an_unknown_region_list_scans_the_configured_region() {
        let unknown = Fact::Unknown(Unknown::new(
            UnknownReason::AccessDenied,
            "ec2:DescribeRegions",
            "denied",
        ));
        let (req, scan) = choose_regions(&[], &unknown, "aws", "eu-west-1");
        assert_eq!((req, scan), (names(&["eu-west-1"]), names(&["eu-west-1"])));
        let named = names(&["ap-east-1"]);
        let (_, scan) = choose_regions(&named, &unknown, "aws", "eu-west-1");
        assert_eq!(scan, named);
    }
}

#[cfg(all(test, feature = "ec2"))]
mod ec2_tests {
    //! Recorded responses for what the moto fixture cannot show: a not-opted-in region next to
    //! enabled ones, and an EC2 permission error.
    use super::*;
    use crate::collect::mocks::{ec2_error, mocked};
    use crate::ledger::Ledger;
    use aws_sdk_ec2::operation::describe_regions::DescribeRegionsOutput;
    use aws_sdk_ec2::types::Region;
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn regions_keep_their_opt_in_status() {
        let rule = mock!(aws_sdk_ec2::Client::describe_regions).then_output(|| {
            let region = |n: &str, s: Option<&str>| {
                Region::builder()
                    .region_name(n)
                    .set_opt_in_status(s.map(str::to_string))
                    .build()
            };
            DescribeRegionsOutput::builder()
                .regions(region("us-west-2", Some("opt-in-not-required")))
                .regions(region("ap-east-1", Some("not-opted-in")))
                .regions(region("eu-south-2", Some("opted-in")))
                .regions(region("us-east-1", None))
                .build()
        });
        let l = Ledger::new(4, &NoProgress);
        let got = regions_of(&l, &mocked!(aws_sdk_ec2, &rule)).await;
        let list = got.get().unwrap();
        let names: Vec<(&str, bool)> = list
            .iter()
            .map(|r| (r.name.as_str(), r.opt_in.enabled()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("ap-east-1", false),
                ("eu-south-2", true),
                ("us-east-1", true),
                ("us-west-2", true)
            ]
        );
    }

    #[tokio::test]
    async fn a_denied_region_list_stays_unknown() {
        let rule = mock!(aws_sdk_ec2::Client::describe_regions).then_http_response(|| {
            ec2_error(
                "UnauthorizedOperation",
                "You are not authorized to perform this operation.",
            )
        });
        let l = Ledger::new(4, &NoProgress);
        let u = regions_of(&l, &mocked!(aws_sdk_ec2, &rule))
            .await
            .get()
            .unwrap_err()
            .clone();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(u.operation, "ec2:DescribeRegions");
        assert_eq!(l.log().failures.len(), 1);
    }
}
