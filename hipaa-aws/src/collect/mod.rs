//! One collector per service, named as the service folders of `hipaa-core/src/services/`: each
//! reads its service with List/Get/Describe calls and returns its section of the snapshot.
//!
//! The list below is where a collector is registered, one name each.

mod baa;
mod backup;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod guardduty;
mod iam;
mod kms;
mod lambda;
#[cfg(test)]
pub(crate) mod mocks;
mod org;
mod rds;
mod s3;
mod scope;
mod secretsmanager;
mod securityhub;
mod vpc;

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

        /// Run every other collector, all at once (the ledger bounds the calls in flight).
        pub(crate) async fn regional(scan: &Scan<'_>) -> Services {
            let ($($name,)*) = tokio::join!($($name::collect(scan),)*);
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
        dynamodb, rds, efs, secretsmanager, lambda, ecr, ecs, eks,
        baa, org, scope,
    ];
}
