//! One collector per service, named as the service folders of `hipaa-core/src/services/`: each
//! reads its service with List/Get/Describe calls and returns its section of the snapshot.
//!
//! The list below is where a collector is registered, one name each.

mod accessanalyzer;
mod acm;
mod apigw;
mod apigwv2;
mod baa;
mod backup;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod elasticache;
mod elb;
mod elbv2;
mod firehose;
mod guardduty;
mod iam;
mod inspector2;
mod kinesis;
mod kms;
mod lambda;
mod macie;
#[cfg(test)]
pub(crate) mod mocks;
mod opensearch;
mod org;
mod rds;
mod redshift;
mod s3;
mod scope;
mod secretsmanager;
mod securityhub;
mod sns;
mod sqs;
mod ssm;
mod vpc;
mod wafv2;

use crate::scan::Scan;
use hipaa_core::services::Services;

/// `early` collectors need only the configuration and start at once; `regional` ones start once
/// the account id, partition and regions are known. Each is `<name>::collect(&Scan)`, returning
/// the `<name>` section of [`Services`].
macro_rules! collectors {
    (early: [$($early:ident),* $(,)?]; regional: [$($name:ident),* $(,)?];) => {
        /// Run the collectors that need nothing but the configuration.
        pub(crate) async fn early(scan: &Scan<'_>) -> Services {
            let ($($early,)*) = tokio::join!($($early::collect(scan),)*);
            Services {
                $($early,)*
                ..Services::default()
            }
        }

        /// Run every other collector, all at once (the ledger bounds the calls in flight). Each
        /// collector's future is boxed: joined inline, their state machines add up to more than
        /// a test thread's 2 MiB stack.
        pub(crate) async fn regional(scan: &Scan<'_>) -> Services {
            let ($($name,)*) = tokio::join!($(Box::pin($name::collect(scan)),)*);
            Services {
                $($name,)*
                ..Services::default()
            }
        }

        /// Put the early collectors' sections into the rest.
        pub(crate) fn merge(into: &mut Services, early: Services) {
            $(into.$early = early.$early;)*
        }
    };
}

collectors! {
    early: [iam];
    regional: [
        s3, kms, cloudtrail, config, guardduty, securityhub, cloudwatch, vpc, ec2, backup,
        dynamodb, rds, redshift, elasticache, opensearch, efs, secretsmanager, sqs, sns, kinesis,
        firehose, elbv2, elb, acm, apigw, apigwv2, cloudfront, wafv2, baa, org, scope, inspector2,
        ssm, macie, accessanalyzer, lambda, ecr, ecs, eks,
    ];
}
