//! Amazon Resource Names and region names: the fields rules need, without a full parser.

/// The service namespace of an ARN (`arn:aws:s3:::b` → `s3`).
pub fn service(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_), Some(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// The account field of an ARN, when it has one (`arn:aws:kms:us-east-1:111122223333:key/k` →
/// `111122223333`).
pub fn account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The region field of an ARN, when it has one.
pub fn region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// The resource part of an ARN (`db:x`, `table/t`, `bucket`).
pub fn resource(arn: &str) -> Option<&str> {
    arn.splitn(6, ':').nth(5).filter(|r| !r.is_empty())
}

/// The last path segment of an ARN: table name, instance id, file system id, bucket name (the
/// whole text when it is not an ARN).
pub fn short_id(arn: &str) -> String {
    // An ECS task definition is known by family and revision (`web:3`), not the revision alone.
    if let (Some("ecs"), Some(td)) = (
        service(arn),
        resource(arn).and_then(|r| r.strip_prefix("task-definition/")),
    ) {
        return td.to_string();
    }
    let id = resource(arn)
        .and_then(|r| r.rsplit([':', '/']).find(|s| !s.is_empty()))
        .unwrap_or(arn);
    // Secrets Manager appends `-` and six random characters to the name: the name is the id.
    match (service(arn), id.rsplit_once('-')) {
        (Some("secretsmanager"), Some((name, tail)))
            if tail.len() == 6 && tail.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            name.to_string()
        }
        _ => id.to_string(),
    }
}

/// The finding kind (Security Hub resource type) for a resource ARN; `AwsResource` when unknown.
pub fn resource_kind(arn: &str) -> &'static str {
    let rest = arn.splitn(6, ':').nth(5).unwrap_or("");
    match service(arn) {
        Some("s3") => "AwsS3Bucket",
        Some("dynamodb") => "AwsDynamoDbTable",
        Some("rds") if rest.starts_with("db:") => "AwsRdsDbInstance",
        Some("rds") if rest.starts_with("cluster:") => "AwsRdsDbCluster",
        Some("elasticfilesystem") => "AwsEfsFileSystem",
        Some("redshift") if rest.starts_with("cluster:") => "AwsRedshiftCluster",
        Some("elasticache") if rest.starts_with("replicationgroup:") => {
            "AwsElastiCacheReplicationGroup"
        }
        Some("elasticache") if rest.starts_with("cluster:") => "AwsElastiCacheCacheCluster",
        Some("es") if rest.starts_with("domain/") => "AwsOpenSearchServiceDomain",
        Some("kms") => "AwsKmsKey",
        Some("logs") => "AwsLogsLogGroup",
        Some("sqs") => "AwsSqsQueue",
        Some("sns") => "AwsSnsTopic",
        Some("kinesis") if rest.starts_with("stream/") => "AwsKinesisStream",
        Some("firehose") if rest.starts_with("deliverystream/") => {
            "AwsKinesisFirehoseDeliveryStream"
        }
        Some("secretsmanager") => "AwsSecretsManagerSecret",
        Some("lambda") if rest.starts_with("function:") => "AwsLambdaFunction",
        Some("ecr") if rest.starts_with("repository/") => "AwsEcrRepository",
        Some("ecs") if rest.starts_with("task-definition/") => "AwsEcsTaskDefinition",
        Some("eks") if rest.starts_with("cluster/") => "AwsEksCluster",
        _ => "AwsResource",
    }
}

/// The partition a region name belongs to (`aws`, `aws-us-gov`, `aws-cn`, `aws-iso`, …).
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else {
        "aws"
    }
}

/// Whether a region name belongs to a partition, so a listing that names regions of other
/// partitions (moto does) is not mistaken for this account's.
pub fn region_in_partition(region: &str, partition: &str) -> bool {
    partition_of_region(region) == partition
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_an_arn() {
        let k = "arn:aws:kms:us-east-1:111122223333:key/k1";
        assert_eq!(service(k), Some("kms"));
        assert_eq!(account(k), Some("111122223333"));
        assert_eq!(region(k), Some("us-east-1"));
        assert_eq!(resource(k), Some("key/k1"));
        assert_eq!(short_id(k), "k1");
        assert_eq!(service("arn:aws:s3:::b"), Some("s3"));
        assert_eq!(account("arn:aws:s3:::b"), None);
        assert_eq!(region("arn:aws:s3:::b"), None);
        assert_eq!(short_id("arn:aws:s3:::b"), "b");
        assert_eq!(short_id("arn:aws:rds:us-east-1:1:db:ehr"), "ehr");
        assert_eq!(service("not-an-arn"), None);
        assert_eq!(short_id("plain"), "plain");
        let secret = "arn:aws:secretsmanager:us-east-1:1:secret:ehr-db-password-VjeEnC";
        assert_eq!(short_id(secret), "ehr-db-password");
        assert_eq!(resource_kind(secret), "AwsSecretsManagerSecret");
        // Only Secrets Manager's suffix is dropped.
        assert_eq!(short_id("arn:aws:s3:::logs-abcdef"), "logs-abcdef");
        let td = "arn:aws:ecs:us-east-1:1:task-definition/claims-worker:2";
        assert_eq!(short_id(td), "claims-worker:2");
        assert_eq!(resource_kind(td), "AwsEcsTaskDefinition");
        let f = "arn:aws:lambda:us-east-1:1:function:intake";
        assert_eq!(
            (short_id(f).as_str(), resource_kind(f)),
            ("intake", "AwsLambdaFunction")
        );
    }

    #[test]
    fn regions_are_matched_to_their_partition() {
        assert!(region_in_partition("us-east-1", "aws"));
        assert!(region_in_partition("ap-southeast-7", "aws"));
        assert!(!region_in_partition("us-gov-west-1", "aws"));
        assert!(!region_in_partition("cn-north-1", "aws"));
        assert!(region_in_partition("us-gov-west-1", "aws-us-gov"));
        assert!(region_in_partition("cn-northwest-1", "aws-cn"));
        assert!(!region_in_partition("us-east-1", "aws-cn"));
        assert_eq!(partition_of_region("us-iso-east-1"), "aws-iso");
        assert_eq!(partition_of_region("us-isob-east-1"), "aws-iso-b");
    }
}
