//! Environment variables, where the API hands their values over (Lambda's `ListFunctions`,
//! ECS's `DescribeTaskDefinition`): each becomes an `EnvVar` on the spot, keeping the name,
//! whether a value is set, and whether that value is a Secrets Manager or Parameter Store
//! reference. The value itself goes no further than `keep_name` (in the core, so infrastructure
//! code is reduced the same way): it is never stored, logged, formatted or put in an error.

pub(crate) use hipaa_core::aws::secret_names::keep_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_told_apart_from_credentials() {
        for v in [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
            "{{resolve:ssm-secure:/prod/api-key:3}}",
        ] {
            assert!(keep_name("DB_PASSWORD", Some(v)).secret_reference, "{v}");
        }
        for v in [
            "hunter2",
            "arn:aws:s3:::bucket",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
            "arn:aws:ssm:us-east-1:123456789012:document/x",
            "arn:aws:secretsmanager:us-east-1:not-an-account:secret:x",
            "prefix arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
            "{{resolve:s3:thing}}",
        ] {
            assert!(!keep_name("DB_PASSWORD", Some(v)).secret_reference, "{v}");
        }
    }

    #[test]
    fn only_the_name_and_two_flags_are_kept() {
        let v = keep_name("API_TOKEN", Some("value-that-must-vanish"));
        assert_eq!(v.name, "API_TOKEN");
        assert!(v.has_value);
        let text = format!("{v:?} {}", serde_json::to_string(&v).unwrap());
        assert!(!text.contains("must-vanish"), "{text}");
        assert!(!keep_name("EMPTY", Some("  ")).has_value);
        assert!(!keep_name("ABSENT", None).has_value);
    }
}
