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

/// A client of `$sdk` whose only answer is `$rule`.
macro_rules! mocked {
    ($sdk:ident, $rule:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from(&crate::collect::mocks::sdk_config())
                .interceptor(crate::wellformed::WellFormedXml)
                .interceptor(
                    aws_smithy_mocks::MockResponseInterceptor::new()
                        .rule_mode(aws_smithy_mocks::RuleMode::MatchAny)
                        .with_rule($rule),
                )
                .build(),
        )
    };
}
pub(crate) use mocked;

/// A scan of account 123456789012 in us-east-1 over the mock configuration.
pub(crate) fn scan(ledger: crate::ledger::Ledger<'_>) -> crate::scan::Scan<'_> {
    crate::scan::Scan {
        config: sdk_config(),
        regions: vec!["us-east-1".into()],
        local_endpoint: None,
        ledger,
        account: hipaa_core::evidence::Fact::Known("123456789012".into()),
        partition: "aws".into(),
        organization: None,
    }
}

/// An error answer in the JSON protocols' shape.
pub(crate) fn json_error(
    status: u16,
    code: &str,
    message: &str,
    json_type: &str,
) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
    let status =
        StatusCode::try_from(status).unwrap_or_else(|_| StatusCode::try_from(500).unwrap());
    let mut r = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
        status,
        SdkBody::from(body),
    );
    r.headers_mut()
        .insert("content-type", json_type.to_string());
    r.headers_mut().insert("x-amzn-errortype", code.to_string());
    r
}

/// An error answer in EC2's query-protocol shape (XML, `Response/Errors/Error`).
#[cfg(feature = "ec2")]
pub(crate) fn ec2_error(
    code: &str,
    message: &str,
) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>"
    );
    let mut r = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
        StatusCode::try_from(403).unwrap_or_else(|_| StatusCode::try_from(500).unwrap()),
        SdkBody::from(body),
    );
    r.headers_mut().insert("content-type", "text/xml");
    r
}

/// A client of `$sdk` answered by the first matching rule of `$rules`.
macro_rules! mocked_rules {
    ($sdk:ident, $rules:expr) => {{
        let mut mocks = aws_smithy_mocks::MockResponseInterceptor::new()
            .rule_mode(aws_smithy_mocks::RuleMode::MatchAny);
        for rule in $rules {
            mocks = mocks.with_rule(rule);
        }
        $sdk::Client::from_conf(
            $sdk::config::Builder::from(&crate::collect::mocks::sdk_config())
                .interceptor(crate::wellformed::WellFormedXml)
                .interceptor(mocks)
                .build(),
        )
    }};
}
pub(crate) use mocked_rules;
