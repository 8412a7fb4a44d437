//! AWS Lambda, per region: each function's configuration (`ListFunctions`), tags, resource
//! policy and function URLs. `ListFunctions` returns environment variable values: they are
//! reduced to names on the spot (`crate::env_vars`) and never stored, logged or reported. No
//! function is invoked and no code is downloaded. Without the `workloads` feature nothing is
//! read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::lambda::evidence::LambdaRegion;

#[cfg(not(feature = "workloads"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<LambdaRegion>> {
    None
}

#[cfg(feature = "workloads")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "workloads")]
mod with_sdk {
    use super::*;
    use crate::env_vars::keep_name;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_lambda::types::{FunctionConfiguration, PackageType};
    use futures::stream::{self, StreamExt};
    use hipaa_core::aws::secret_names::EnvVar;
    use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
    use hipaa_core::services::lambda::evidence::{Function, FunctionUrl, Package};

    const STAGE: &str = "lambda";
    const LIST: &str = "lambda:ListFunctions";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<LambdaRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_lambda, &scan.config, region);
                let functions = functions(l, &client, &region).await;
                l.tick(STAGE);
                LambdaRegion {
                    functions: functions.into(),
                }
            })
            .await,
        )
    }

    pub(super) async fn functions(
        l: &Ledger<'_>,
        client: &aws_sdk_lambda::Client,
        region: &str,
    ) -> Result<Vec<Function>, Unknown> {
        let mut pages = client.list_functions().into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(LIST, region, pages.next()).await? {
            for f in page.functions() {
                listed.push(function(l, f, region)?);
            }
            // The page, with every environment value in it, is dropped here.
        }
        let mut out: Vec<Function> = stream::iter(listed)
            .map(|f| details(l, client, f))
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.arn.cmp(&b.arn));
        Ok(out)
    }

    /// One listed function, its environment reduced to names.
    fn function(
        l: &Ledger<'_>,
        f: &FunctionConfiguration,
        region: &str,
    ) -> Result<Function, Unknown> {
        let (Some(arn), Some(name)) = (f.function_arn(), f.function_name()) else {
            return Err(l.parse_error(LIST, region, "a function without an ARN or name"));
        };
        let package = match (f.package_type(), f.runtime()) {
            (Some(PackageType::Image), _) => Fact::Known(Package::Image),
            (_, Some(runtime)) => Fact::Known(Package::Zip {
                runtime: runtime.as_str().to_string(),
            }),
            (_, None) => {
                Fact::Unknown(l.parse_error(LIST, name, "a .zip function without its runtime"))
            }
        };
        Ok(Function {
            arn: arn.to_string(),
            name: name.to_string(),
            package,
            kms_key_arn: f.kms_key_arn().map(str::to_string),
            environment: environment(l, f, name),
            tags: not_read(),
            policy: not_read(),
            urls: not_read(),
        })
    }

    /// The variable names, or why Lambda could not give them (a key it cannot decrypt with).
    fn environment(l: &Ledger<'_>, f: &FunctionConfiguration, name: &str) -> Fact<Vec<EnvVar>> {
        let Some(env) = f.environment() else {
            return Fact::Known(Vec::new());
        };
        if let Some(e) = env.error() {
            // Only the error code: the message is the service's, but nothing about values is
            // needed to fix the key.
            let code = e.error_code().unwrap_or("unknown error");
            let reason = if code.contains("AccessDenied") {
                UnknownReason::AccessDenied
            } else {
                UnknownReason::ServiceError
            };
            return Fact::Unknown(l.fail(
                LIST,
                name,
                (
                    reason,
                    format!("Lambda could not decrypt the environment variables ({code})"),
                ),
            ));
        }
        let mut vars: Vec<EnvVar> = env
            .variables()
            .into_iter()
            .flatten()
            .map(|(k, v)| keep_name(k, Some(v)))
            .collect();
        vars.sort_by(|a, b| a.name.cmp(&b.name));
        Fact::Known(vars)
    }

    fn not_read<T>() -> Fact<T> {
        Fact::Unknown(Unknown::new(
            UnknownReason::NotCollected,
            LIST,
            "not read yet",
        ))
    }

    /// Tags, resource policy and function URLs of one function, read side by side.
    async fn details(l: &Ledger<'_>, client: &aws_sdk_lambda::Client, mut f: Function) -> Function {
        let (tags, policy, urls) = tokio::join!(
            tags(l, client, &f),
            policy(l, client, &f),
            urls(l, client, &f)
        );
        f.tags = tags.into();
        f.policy = policy.into();
        f.urls = urls.into();
        f
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_lambda::Client,
        f: &Function,
    ) -> Result<Tags, Unknown> {
        const OP: &str = "lambda:ListTags";
        let o = l
            .must(OP, &f.name, client.list_tags().resource(&f.arn).send())
            .await?;
        let Some(tags) = o.tags() else {
            return Err(l.parse_error(OP, &f.name, "the answer has no tag map"));
        };
        Ok(tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    async fn policy(
        l: &Ledger<'_>,
        client: &aws_sdk_lambda::Client,
        f: &Function,
    ) -> Result<Option<String>, Unknown> {
        const OP: &str = "lambda:GetPolicy";
        // No resource policy is a ResourceNotFoundException: a fact, not a failure.
        let Some(o) = l
            .read(
                OP,
                &f.name,
                &["ResourceNotFoundException"],
                client.get_policy().function_name(&f.arn).send(),
            )
            .await?
        else {
            return Ok(None);
        };
        match o.policy() {
            Some(p) => Ok(Some(p.to_string())),
            None => Err(l.parse_error(OP, &f.name, "the answer has no policy")),
        }
    }

    async fn urls(
        l: &Ledger<'_>,
        client: &aws_sdk_lambda::Client,
        f: &Function,
    ) -> Result<Vec<FunctionUrl>, Unknown> {
        const OP: &str = "lambda:ListFunctionUrlConfigs";
        let mut pages = client
            .list_function_url_configs()
            .function_name(&f.arn)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, &f.name, pages.next()).await? {
            for u in page.function_url_configs() {
                if u.function_arn().is_empty() {
                    return Err(l.parse_error(
                        OP,
                        &f.name,
                        "a function URL without its function ARN",
                    ));
                }
                out.push(FunctionUrl {
                    function_arn: u.function_arn().to_string(),
                    auth_type: u.auth_type().as_str().to_string(),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(all(test, feature = "workloads"))]
mod tests {
    //! Recorded responses: an environment Lambda could not decrypt, a function URL on an alias
    //! (moto keeps one URL per function and no alias URLs), and a denied policy read.
    use super::with_sdk::functions;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_lambda::operation::list_function_url_configs::ListFunctionUrlConfigsOutput;
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_lambda::operation::list_tags::ListTagsOutput;
    use aws_sdk_lambda::types::builders::FunctionUrlConfigBuilder;
    use aws_sdk_lambda::types::{
        EnvironmentError, EnvironmentResponse, FunctionConfiguration, FunctionUrlAuthType,
        PackageType, Runtime,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::services::lambda::evidence::Package;
    use hipaa_core::NoProgress;

    const MARKER: &str = "recorded-value-never-kept-7f3a";

    fn listed() -> ListFunctionsOutput {
        ListFunctionsOutput::builder()
            .functions(
                FunctionConfiguration::builder()
                    .function_name("intake")
                    .function_arn("arn:aws:lambda:us-east-1:123456789012:function:intake")
                    .runtime(Runtime::Python313)
                    .package_type(PackageType::Zip)
                    .environment(
                        EnvironmentResponse::builder()
                            .variables("DB_PASSWORD", MARKER)
                            .variables(
                                "API_KEY",
                                "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf",
                            )
                            .build(),
                    )
                    .build(),
            )
            .functions(
                FunctionConfiguration::builder()
                    .function_name("locked")
                    .function_arn("arn:aws:lambda:us-east-1:123456789012:function:locked")
                    .package_type(PackageType::Image)
                    .kms_key_arn("arn:aws:kms:us-east-1:123456789012:key/gone")
                    .environment(
                        EnvironmentResponse::builder()
                            .error(
                                EnvironmentError::builder()
                                    .error_code("KMSAccessDeniedException")
                                    .message(
                                        "Lambda was unable to decrypt the environment variables",
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build()
    }

    #[tokio::test]
    async fn values_are_dropped_and_an_undecryptable_environment_is_unknown() {
        let list = mock!(aws_sdk_lambda::Client::list_functions).then_output(listed);
        let tags = mock!(aws_sdk_lambda::Client::list_tags)
            .then_output(|| ListTagsOutput::builder().tags("DataClass", "PHI").build());
        let policy = mock!(aws_sdk_lambda::Client::get_policy).then_http_response(|| {
            json_error(
                404,
                "ResourceNotFoundException",
                "no policy",
                "application/json",
            )
        });
        let urls = mock!(aws_sdk_lambda::Client::list_function_url_configs).then_output(|| {
            ListFunctionUrlConfigsOutput::builder()
                .function_url_configs(
                    // (The builder type, not the shorthand: the client-building check matches its name.)
                    FunctionUrlConfigBuilder::default()
                        .function_url("https://abc.lambda-url.us-east-1.on.aws/")
                        .function_arn("arn:aws:lambda:us-east-1:123456789012:function:intake:live")
                        .creation_time("2026-01-01T00:00:00.000+0000")
                        .last_modified_time("2026-01-01T00:00:00.000+0000")
                        .auth_type(FunctionUrlAuthType::None)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
        let client = mocked_rules!(aws_sdk_lambda, [&list, &tags, &policy, &urls]);
        let l = Ledger::new(4, &NoProgress);
        let got = functions(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got.len(), 2);
        let intake = &got[0];
        assert_eq!(intake.name, "intake");
        assert_eq!(
            intake.package.known(),
            Some(&Package::Zip {
                runtime: "python3.13".into()
            })
        );
        let env = intake.environment.known().unwrap();
        assert_eq!(env.len(), 2);
        assert_eq!(env[0].name, "API_KEY");
        assert!(env[0].secret_reference);
        assert_eq!(env[1].name, "DB_PASSWORD");
        assert!(env[1].has_value && !env[1].secret_reference);
        assert_eq!(intake.policy.known(), Some(&None));
        let urls = intake.urls.known().unwrap();
        assert_eq!(urls[0].auth_type, "NONE");
        assert!(urls[0].function_arn.ends_with(":live"));
        assert_eq!(intake.tags.known().unwrap()["DataClass"], "PHI");

        let locked = &got[1];
        assert_eq!(locked.package.known(), Some(&Package::Image));
        let u = locked.environment.clone().get().unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert!(
            u.detail.contains("KMSAccessDeniedException"),
            "{}",
            u.detail
        );

        // Nothing of the value reaches the evidence or the ledger.
        let text = format!(
            "{} {:?}",
            serde_json::to_string(&got).unwrap(),
            l.log().failures
        );
        assert!(!text.contains(MARKER), "{text}");
    }

    #[tokio::test]
    async fn a_denied_policy_read_and_a_zip_function_without_runtime_are_unknown() {
        let list = mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
            ListFunctionsOutput::builder()
                .functions(
                    FunctionConfiguration::builder()
                        .function_name("odd")
                        .function_arn("arn:aws:lambda:us-east-1:123456789012:function:odd")
                        .build(),
                )
                .build()
        });
        let tags = mock!(aws_sdk_lambda::Client::list_tags)
            .then_output(|| ListTagsOutput::builder().build());
        let policy = mock!(aws_sdk_lambda::Client::get_policy).then_http_response(|| {
            json_error(403, "AccessDeniedException", "denied", "application/json")
        });
        let urls = mock!(aws_sdk_lambda::Client::list_function_url_configs).then_output(|| {
            ListFunctionUrlConfigsOutput::builder()
                .set_function_url_configs(Some(vec![]))
                .build()
                .unwrap()
        });
        let client = mocked_rules!(aws_sdk_lambda, [&list, &tags, &policy, &urls]);
        let l = Ledger::new(4, &NoProgress);
        let got = functions(&l, &client, "us-east-1").await.unwrap();
        let f = &got[0];
        assert_eq!(
            f.policy.clone().get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );
        assert_eq!(
            f.package.clone().get().unwrap_err().reason,
            UnknownReason::ParseError
        );
        // An answer without its tag map is not "no tags".
        assert_eq!(
            f.tags.clone().get().unwrap_err().reason,
            UnknownReason::ParseError
        );
        assert_eq!(f.environment.known(), Some(&vec![]));
        assert_eq!(f.urls.known(), Some(&vec![]));
    }
}
