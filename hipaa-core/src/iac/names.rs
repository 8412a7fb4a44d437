//! Stand-ins for what exists only after deploy: a resource's ARN, the text of `Ref` and
//! `Fn::GetAtt`, the account and the region. They have the real thing's shape, so the rules
//! (which read ARNs for a service, an account or a key) and the links between resources work,
//! and each ends in the resource's logical id or address, so findings name it.

/// The account a template deploys to, when the code does not say.
pub const ACCOUNT_AT_DEPLOY: &str = "account-at-deploy";
/// The region a template deploys to, when the code does not say.
pub const REGION_AT_DEPLOY: &str = "region-at-deploy";

/// Where a stand-in ARN is built.
pub struct Place<'a> {
    /// Partition.
    pub partition: &'a str,
    /// Region.
    pub region: &'a str,
    /// Account.
    pub account: &'a str,
}

/// The service and resource type of a type name (`AWS::S3::Bucket`, `aws_s3_bucket`), for ARNs.
fn arn_shape(kind: &str) -> Option<(&'static str, &'static str, char)> {
    // (service, resource-type prefix, separator); an empty prefix puts the id right after the account.
    Some(match kind {
        "AWS::S3::Bucket" | "aws_s3_bucket" => ("s3", "", ':'),
        "AWS::KMS::Key" | "aws_kms_key" => ("kms", "key", '/'),
        "AWS::KMS::Alias" | "aws_kms_alias" => ("kms", "alias", '/'),
        "AWS::CloudTrail::Trail" | "aws_cloudtrail" => ("cloudtrail", "trail", '/'),
        "AWS::Logs::LogGroup" | "aws_cloudwatch_log_group" => ("logs", "log-group", ':'),
        "AWS::RDS::DBInstance" | "aws_db_instance" => ("rds", "db", ':'),
        "AWS::RDS::DBCluster" | "aws_rds_cluster" => ("rds", "cluster", ':'),
        "AWS::DynamoDB::Table" | "aws_dynamodb_table" => ("dynamodb", "table", '/'),
        "AWS::EFS::FileSystem" | "aws_efs_file_system" => ("elasticfilesystem", "file-system", '/'),
        "AWS::EC2::Volume" | "aws_ebs_volume" => ("ec2", "volume", '/'),
        "AWS::EC2::SecurityGroup" | "aws_security_group" => ("ec2", "security-group", '/'),
        "AWS::EC2::Instance" | "aws_instance" => ("ec2", "instance", '/'),
        "AWS::EC2::VPC" | "aws_vpc" => ("ec2", "vpc", '/'),
        "AWS::EC2::Subnet" | "aws_subnet" => ("ec2", "subnet", '/'),
        "AWS::SecretsManager::Secret" | "aws_secretsmanager_secret" => {
            ("secretsmanager", "secret", ':')
        }
        "AWS::Backup::BackupVault" | "aws_backup_vault" => ("backup", "backup-vault", ':'),
        "AWS::Backup::BackupPlan" | "aws_backup_plan" => ("backup", "backup-plan", ':'),
        "AWS::IAM::Role" | "aws_iam_role" => ("iam", "role", '/'),
        "AWS::IAM::User" | "aws_iam_user" => ("iam", "user", '/'),
        "AWS::IAM::ManagedPolicy" | "aws_iam_policy" => ("iam", "policy", '/'),
        "AWS::SNS::Topic" | "aws_sns_topic" => ("sns", "", ':'),
        "AWS::SQS::Queue" | "aws_sqs_queue" => ("sqs", "", ':'),
        "AWS::Lambda::Function" | "aws_lambda_function" => ("lambda", "function", ':'),
        "AWS::RDS::DBParameterGroup" | "aws_db_parameter_group" => ("rds", "pg", ':'),
        "AWS::RDS::DBClusterParameterGroup" | "aws_rds_cluster_parameter_group" => {
            ("rds", "cluster-pg", ':')
        }
        "aws_rds_cluster_instance" => ("rds", "db", ':'),
        "AWS::Kinesis::Stream" | "aws_kinesis_stream" => ("kinesis", "stream", '/'),
        "AWS::KinesisFirehose::DeliveryStream" | "aws_kinesis_firehose_delivery_stream" => {
            ("firehose", "deliverystream", '/')
        }
        "AWS::ECR::Repository" | "aws_ecr_repository" => ("ecr", "repository", '/'),
        "AWS::ECS::TaskDefinition" | "aws_ecs_task_definition" => ("ecs", "task-definition", '/'),
        "AWS::EKS::Cluster" | "aws_eks_cluster" => ("eks", "cluster", '/'),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" | "aws_lb" | "aws_alb" => {
            ("elasticloadbalancing", "loadbalancer/app", '/')
        }
        "AWS::ElasticLoadBalancingV2::Listener" | "aws_lb_listener" | "aws_alb_listener" => {
            ("elasticloadbalancing", "listener/app", '/')
        }
        "AWS::ElasticLoadBalancing::LoadBalancer" | "aws_elb" => {
            ("elasticloadbalancing", "loadbalancer", '/')
        }
        "AWS::Redshift::Cluster" | "aws_redshift_cluster" => ("redshift", "cluster", ':'),
        "AWS::ElastiCache::ReplicationGroup" | "aws_elasticache_replication_group" => {
            ("elasticache", "replicationgroup", ':')
        }
        "AWS::ElastiCache::CacheCluster" | "aws_elasticache_cluster" => {
            ("elasticache", "cluster", ':')
        }
        "AWS::OpenSearchService::Domain"
        | "AWS::Elasticsearch::Domain"
        | "aws_opensearch_domain"
        | "aws_elasticsearch_domain" => ("es", "domain", '/'),
        "AWS::WAFv2::WebACL" | "aws_wafv2_web_acl" => ("wafv2", "regional/webacl", '/'),
        "AWS::CloudFront::Distribution" | "aws_cloudfront_distribution" => {
            ("cloudfront", "distribution", '/')
        }
        _ => return None,
    })
}

/// The stand-in ARN of a resource of the code.
pub fn arn(kind: &str, id: &str, at: &Place<'_>) -> String {
    let Place {
        partition,
        region,
        account,
    } = at;
    match arn_shape(kind) {
        Some(("s3", _, _)) => format!("arn:{partition}:s3:::{id}"),
        Some(("iam", ty, sep)) => format!("arn:{partition}:iam::{account}:{ty}{sep}{id}"),
        Some(("cloudfront", ty, sep)) => {
            format!("arn:{partition}:cloudfront::{account}:{ty}{sep}{id}")
        }
        Some((svc, "", _)) => format!("arn:{partition}:{svc}:{region}:{account}:{id}"),
        Some((svc, ty, sep)) => format!("arn:{partition}:{svc}:{region}:{account}:{ty}{sep}{id}"),
        None => {
            // `AWS::Svc::Thing` → `svc` and `thing`; `aws_svc_thing` → `svc` and `thing`.
            let (svc, ty) = match kind.split("::").collect::<Vec<_>>().as_slice() {
                [_, s, t] => (s.to_ascii_lowercase(), t.to_ascii_lowercase()),
                _ => {
                    let rest = kind.strip_prefix("aws_").unwrap_or(kind);
                    match rest.split_once('_') {
                        Some((s, t)) => (s.to_string(), t.replace('_', "-")),
                        None => (rest.to_string(), "resource".to_string()),
                    }
                }
            };
            format!("arn:{partition}:{svc}:{region}:{account}:{ty}/{id}")
        }
    }
}

/// The stand-in of CloudFormation's `Ref` to a resource (its name, id or, for some types, ARN).
pub fn cfn_ref(kind: &str, id: &str, at: &Place<'_>) -> String {
    match kind {
        // These types answer `Ref` with their ARN.
        "AWS::SecretsManager::Secret" | "AWS::SNS::Topic" | "AWS::IAM::ManagedPolicy" => {
            arn(kind, id, at)
        }
        "AWS::KMS::Alias" => format!("alias/{id}"),
        _ => id.to_string(),
    }
}

/// The stand-in of `Fn::GetAtt` on a resource: ARN-like attributes get the stand-in ARN,
/// anything else `Id.Attribute`.
pub fn cfn_get_att(kind: &str, id: &str, attr: &str, at: &Place<'_>) -> String {
    match attr {
        "GroupId" | "Id" | "KeyId" | "AllocationId" | "BackupPlanId" | "BackupVaultName"
        | "Name" => id.to_string(),
        a if a.ends_with("Arn") || a == "Arn" => {
            let base = arn(kind, id, at);
            if kind == "AWS::Logs::LogGroup" {
                format!("{base}:*")
            } else {
                base
            }
        }
        _ => format!("{id}.{attr}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::arn as a;

    #[test]
    fn stand_in_arns_have_the_real_shape_and_end_in_the_id() {
        let at = Place {
            partition: "aws",
            region: REGION_AT_DEPLOY,
            account: ACCOUNT_AT_DEPLOY,
        };
        for (kind, id) in [
            ("AWS::S3::Bucket", "Bucket"),
            ("AWS::KMS::Key", "Key"),
            ("AWS::DynamoDB::Table", "Table"),
            ("AWS::RDS::DBInstance", "Db"),
            ("AWS::EFS::FileSystem", "Fs"),
            ("AWS::SecretsManager::Secret", "Secret"),
            (
                "aws_dynamodb_table",
                "module.phi.aws_dynamodb_table.t[\"a\"]",
            ),
            ("AWS::Foo::Bar", "X"),
        ] {
            let arn = arn(kind, id, &at);
            assert_eq!(a::short_id(&arn), id, "{arn}");
            assert!(a::service(&arn).is_some(), "{arn}");
        }
        assert_eq!(
            a::resource_kind(&arn("AWS::DynamoDB::Table", "T", &at)),
            "AwsDynamoDbTable"
        );
        assert_eq!(
            a::resource_kind(&arn("AWS::RDS::DBInstance", "D", &at)),
            "AwsRdsDbInstance"
        );
        assert_eq!(
            cfn_get_att("AWS::Logs::LogGroup", "G", "Arn", &at),
            "arn:aws:logs:region-at-deploy:account-at-deploy:log-group:G:*"
        );
    }
}
