//! Everything the core knows about each AWS service, one folder per service.
//!
//! A folder `services/<name>/` holds the controls whose ids start with `<name>.`: their catalog
//! entries (`controls.toml`), their rules (`rules.rs`), the service's evidence types
//! (`evidence.rs`, when it has a section in the snapshot) and their tests (`tests.rs`). The list
//! below is the one place a service is registered: one line gives it its module, its catalog
//! file, its rules and, after `=>`, its section of [`Services`].
//!
//! Folders without a section hold controls that read other services' evidence (`scope`, `baa`
//! reads Artifact) or that only an attestation can answer (`admin`, `physical`, `tech`).

use crate::evidence::Regional;
use crate::rules::RuleFn;
use serde::{Deserialize, Serialize};

macro_rules! services {
    ($( $(#[doc = $doc:literal])* $name:ident $(=> $section:ty)? ;)*) => {
        $( $(#[doc = $doc])* pub mod $name; )*

        /// The evidence of one source, one optional section per service: an absent section means
        /// the source does not describe that service (a template never describes GuardDuty).
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        pub struct Services {
            $($(
                #[doc = concat!("The `", stringify!($name), "` section (see [`", stringify!($name), "`]); absent when the source does not describe it.")]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $name: Option<$section>,
            )?)*
        }

        impl Services {
            /// Every data store any section lists, service by service, for the cross-service
            /// controls (classification, backup coverage).
            pub fn stores(&self, snapshot: &crate::evidence::Snapshot) -> Vec<(&'static str, crate::evidence::StoreListing)> {
                use crate::evidence::Section as _;
                let mut out = Vec::new();
                $($(
                    let section: Option<&$section> = self.$name.as_ref();
                    if let Some(s) = section {
                        out.extend(s.stores(snapshot).into_iter().map(|l| (stringify!($name), l)));
                    }
                )?)*
                out
            }
        }

        /// Every service folder, in catalog order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The bundled catalog files, one per service folder, in catalog order.
        pub(crate) const CATALOGS: &[(&str, &str)] = &[$(
            (
                concat!("services/", stringify!($name), "/controls.toml"),
                include_str!(concat!(stringify!($name), "/controls.toml")),
            ),
        )*];

        /// The resource kinds each folder's findings are about; the layout test checks catalog entries against them.
        #[cfg(test)]
        pub(crate) const KINDS: &[(&str, &[&str])] = &[$((stringify!($name), $name::KINDS)),*];

        /// Every built-in rule, with the folder that holds it.
        pub(crate) fn rules() -> Vec<(&'static str, RuleFn)> {
            let mut v = Vec::new();
            $( v.extend($name::rules().into_iter().map(|r| (stringify!($name), r))); )*
            v
        }

        /// A fully compliant section for every service, which each rule test breaks one fact of.
        #[cfg(test)]
        pub(crate) fn fixture() -> Services {
            Services {
                $($( $name: {
                    let section: $section = $name::tests::fixture();
                    Some(section)
                }, )?)*
            }
        }
    };
}

services! {
    /// Amazon S3: buckets and the account's Block Public Access.
    s3 => s3::evidence::S3Evidence;
    /// AWS KMS: customer-managed keys, rotation and key policies.
    kms => Regional<kms::evidence::KmsRegion>;
    /// AWS IAM: root, users, credentials and policies.
    iam => iam::evidence::IamEvidence;
    /// AWS CloudTrail: trails, their coverage and where they deliver.
    cloudtrail => Regional<cloudtrail::evidence::CloudTrailRegion>;
    /// AWS Config: configuration recorders.
    config => Regional<config::evidence::ConfigRegion>;
    /// Amazon GuardDuty: threat-detection detectors.
    guardduty => Regional<guardduty::evidence::GuardDutyRegion>;
    /// AWS Security Hub: the subscription.
    securityhub => Regional<securityhub::evidence::SecurityHubRegion>;
    /// Amazon CloudWatch: log groups, metric filters and alarms.
    cloudwatch => Regional<cloudwatch::evidence::CloudWatchRegion>;
    /// Amazon VPC: VPCs and flow logs.
    vpc => Regional<vpc::evidence::VpcRegion>;
    /// AWS Backup: plans, selections, vaults and resource-type opt-in.
    backup => Regional<backup::evidence::BackupRegion>;
    /// Amazon DynamoDB: tables and point-in-time recovery.
    dynamodb => Regional<dynamodb::evidence::DynamoDbRegion>;
    /// Amazon RDS: DB instances, DB clusters, their parameter groups and manual snapshots.
    rds => Regional<rds::evidence::RdsRegion>;
    /// Amazon Redshift: provisioned clusters.
    redshift => Regional<redshift::evidence::RedshiftRegion>;
    /// Amazon ElastiCache: replication groups and stand-alone cache clusters.
    elasticache => Regional<elasticache::evidence::ElastiCacheRegion>;
    /// Amazon OpenSearch Service: domains and their access policies.
    opensearch => Regional<opensearch::evidence::OpenSearchRegion>;
    /// Amazon EFS: file systems.
    efs => Regional<efs::evidence::EfsRegion>;
    /// Amazon EC2: instances, security groups, network ACLs, EBS, AMIs.
    ec2 => Regional<ec2::evidence::Ec2Region>;
    /// AWS Secrets Manager: secrets' rotation, encryption and resource policies.
    secretsmanager => Regional<secretsmanager::evidence::SecretsManagerRegion>;
    /// Amazon Inspector: EC2, ECR and Lambda vulnerability scanning.
    inspector2 => Regional<inspector2::evidence::Inspector2Region>;
    /// AWS Systems Manager: managed instances and patch compliance.
    ssm => Regional<ssm::evidence::SsmRegion>;
    /// Amazon Macie: sensitive-data discovery.
    macie => Regional<macie::evidence::MacieRegion>;
    /// IAM Access Analyzer: external-access analyzers.
    accessanalyzer => Regional<accessanalyzer::evidence::AccessAnalyzerRegion>;
    /// Amazon SQS: queues' encryption and queue policies.
    sqs => Regional<sqs::evidence::SqsRegion>;
    /// Amazon SNS: topics' encryption and topic policies.
    sns => Regional<sns::evidence::SnsRegion>;
    /// Amazon Kinesis Data Streams: streams' encryption.
    kinesis => Regional<kinesis::evidence::KinesisRegion>;
    /// Amazon Data Firehose: Firehose streams' encryption.
    firehose => Regional<firehose::evidence::FirehoseRegion>;
    /// Elastic Load Balancing v2: application, network and gateway load balancers.
    elbv2 => Regional<elbv2::evidence::Elbv2Region>;
    /// Elastic Load Balancing: Classic Load Balancers.
    elb => Regional<elb::evidence::ElbRegion>;
    /// AWS Certificate Manager: certificates' expiry, keys and managed renewal.
    acm => Regional<acm::evidence::AcmRegion>;
    /// Amazon API Gateway: REST APIs, their stages, methods and custom domains.
    apigw => Regional<apigw::evidence::ApigwRegion>;
    /// Amazon API Gateway: HTTP and WebSocket APIs, their stages and custom domains.
    apigwv2 => Regional<apigwv2::evidence::Apigwv2Region>;
    /// Amazon CloudFront: distributions (a global service, read once).
    cloudfront => cloudfront::evidence::CloudFrontEvidence;
    /// AWS WAF: web ACLs, REGIONAL per region and CLOUDFRONT once.
    wafv2 => wafv2::evidence::Wafv2Evidence;
    /// AWS Lambda: functions' invokers, runtimes and environment variables (names only).
    lambda => Regional<lambda::evidence::LambdaRegion>;
    /// Amazon ECR: repositories' scanning, tag immutability, encryption and policies.
    ecr => Regional<ecr::evidence::EcrRegion>;
    /// Amazon ECS: the latest revision of each task definition, container by container.
    ecs => Regional<ecs::evidence::EcsRegion>;
    /// Amazon EKS: clusters' endpoints, secrets encryption, logging and version.
    eks => Regional<eks::evidence::EksRegion>;
    /// The BAA, from AWS Artifact and the scope file.
    baa => baa::evidence::Artifact;
    /// AWS Organizations: accounts, OUs and service control policies.
    org => org::evidence::OrganizationsEvidence;
    /// Scope: what holds ePHI, HIPAA-eligible services, regions (Resource Groups Tagging API).
    scope => Regional<scope::evidence::TaggingRegion>;
    /// Administrative safeguards only an attestation can show.
    admin;
    /// Physical safeguards: the customer's attested, AWS's inherited.
    physical;
    /// Technical safeguards no API can show.
    tech;
}

#[cfg(test)]
mod tests;
