//! Shared by the recorded-response tests: an SDK configuration whose HTTP client never reaches
//! the network (every answer comes from an aws-smithy-mocks rule) and which never retries.

use aws_smithy_types::retry::RetryConfig;
use aws_types::SdkConfig;

/// Test credentials, us-east-1, the mock HTTP client, no retries.
pub(crate) fn sdk_config() -> SdkConfig {
    use aws_credential_types::provider::SharedCredentialsProvider;
    use aws_credential_types::Credentials;
    use aws_types::region::Region;
    SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        )))
        .http_client(aws_smithy_mocks::create_mock_http_client())
        .retry_config(RetryConfig::disabled())
        .build()
}
