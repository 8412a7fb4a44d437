//! AWS Lambda rules: no resource policy or function URL lets anyone invoke a function, its
//! runtime is still patched (the dated list in `runtimes.toml` beside this file), and its
//! environment variables hold no credentials and are encrypted with a customer-managed key.

use super::evidence::{Function, Package};
use crate::aws::policy::PolicyDocument;
use crate::aws::secret_names::plaintext_secrets;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use chrono::NaiveDate;
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "lambda.not_public",
            f: not_public,
        },
        RuleFn {
            id: "lambda.url_auth",
            f: url_auth,
        },
        RuleFn {
            id: "lambda.supported_runtime",
            f: supported_runtime,
        },
        RuleFn {
            id: "lambda.env_cmk_encryption",
            f: env_cmk_encryption,
        },
        RuleFn {
            id: "lambda.no_secrets_in_env",
            f: no_secrets_in_env,
        },
    ]
}

fn each_function(
    ctx: &Context<'_>,
    judge: impl Fn(&Function) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.lambda, "Lambda", "Lambda"));
    each_listed(
        ctx,
        regions,
        "Lambda functions",
        |r| &r.functions,
        |region, f| {
            let phi = PhiMark::of(&ctx.scope.phi, &f.tags);
            let res = Resource::regional(ctx, &f.arn, &f.name, "AwsLambdaFunction", region, &phi);
            Outcome::from_result(res, phi, judge(f))
        },
    )
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_function(ctx, |f| {
        let Some(text) = f.policy.get()? else {
            return Ok(Verdict::pass(
                "no resource policy: only the account's own IAM principals can invoke it",
            ));
        };
        let doc = PolicyDocument::parse(text).map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "lambda:GetPolicy",
                format!("the resource policy does not parse: {}", e.message),
            )
        })?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("the resource policy grants nothing to everyone")
        } else {
            let labels: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the resource policy lets anyone invoke it: statement {}",
                labels.join("; ")
            ))
        })
    })
}

fn url_auth(ctx: &Context<'_>) -> Vec<Outcome> {
    each_function(ctx, |f| {
        let urls = f.urls.get()?;
        if urls.is_empty() {
            return Ok(Verdict::not_applicable("the function has no function URL"));
        }
        let mut open = Vec::new();
        for u in urls {
            match u.auth_type.as_str() {
                "AWS_IAM" => {}
                "NONE" => open.push(u.function_arn.as_str()),
                other => {
                    return Err(Unknown::new(
                        UnknownReason::ParseError,
                        "lambda:ListFunctionUrlConfigs",
                        format!("a function URL has the unknown auth type `{other}`"),
                    ))
                }
            }
        }
        Ok(if open.is_empty() {
            Verdict::pass(format!(
                "{} requires AWS_IAM (signed) authentication",
                plural_urls(urls.len())
            ))
        } else {
            Verdict::fail(format!(
                "the function URL of `{}` has auth type NONE: anyone on the internet can call it",
                open.join("`, `")
            ))
        })
    })
}

fn plural_urls(n: usize) -> String {
    if n == 1 {
        "its function URL".into()
    } else {
        format!("each of its {n} function URLs")
    }
}

/// `runtimes.toml`: the deprecation date of each Lambda-managed runtime.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runtimes {
    reviewed: NaiveDate,
    runtime: Vec<RuntimeEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuntimeEntry {
    id: String,
    deprecated: NaiveDate,
}

const RUNTIMES: &str = "services/lambda/runtimes.toml";

fn runtimes() -> Result<&'static Runtimes, Unknown> {
    static DATA: OnceLock<Result<Runtimes, String>> = OnceLock::new();
    DATA.get_or_init(|| toml::from_str(include_str!("runtimes.toml")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                RUNTIMES,
                format!("the bundled runtime list does not parse: {e}"),
            )
        })
}

fn supported_runtime(ctx: &Context<'_>) -> Vec<Outcome> {
    let today = ctx.now.date_naive();
    each_function(ctx, |f| {
        let runtime = match f.package.get()? {
            Package::Image => {
                return Ok(Verdict::not_applicable(
                    "a container image function brings its own runtime (judged by image scanning)",
                ))
            }
            Package::Zip { runtime } => runtime,
        };
        let table = runtimes()?;
        let Some(entry) = table.runtime.iter().find(|r| r.id == *runtime) else {
            return Err(Unknown::new(
                UnknownReason::NotCollected,
                RUNTIMES,
                format!(
                    "the runtime `{runtime}` is not in the bundled runtime list (reviewed {}): refresh it from AWS's runtime table",
                    table.reviewed
                ),
            ));
        };
        let days = (entry.deprecated - today).num_days();
        Ok(if days <= 0 {
            Verdict::fail(format!(
                "runs on `{runtime}`, deprecated since {}: Lambda no longer applies security patches to it",
                entry.deprecated
            ))
        } else {
            Verdict::pass(format!(
                "runs on `{runtime}`, supported until {} ({days} days from now)",
                entry.deprecated
            ))
        })
    })
}

fn env_cmk_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_function(ctx, |f| {
        if let Some(key) = &f.kms_key_arn {
            return Ok(Verdict::pass(format!(
                "environment variables are encrypted with the customer-managed key `{key}`"
            )));
        }
        let vars = f.environment.get()?;
        Ok(if vars.is_empty() {
            Verdict::not_applicable("the function has no environment variables")
        } else {
            Verdict::fail(format!(
                "its {} environment variables are encrypted only with the AWS managed key aws/lambda, whose use cannot be narrowed or audited per function",
                vars.len()
            ))
        })
    })
}

fn no_secrets_in_env(ctx: &Context<'_>) -> Vec<Outcome> {
    each_function(ctx, |f| {
        let vars = f.environment.get()?;
        let secrets = plaintext_secrets(vars)?;
        Ok(if !secrets.is_empty() {
            Verdict::fail(format!(
                "environment variables named like credentials hold values of their own: `{}` (values not read by the scanner)",
                secrets.join("`, `")
            ))
        } else if vars.is_empty() {
            Verdict::pass("the function has no environment variables")
        } else {
            Verdict::pass(format!(
                "none of its {} environment variables is named like a credential, or each such variable is a Secrets Manager or Parameter Store reference",
                vars.len()
            ))
        })
    })
}

/// Every runtime of the bundled list with its date, for the data's own tests.
#[cfg(test)]
pub(super) fn runtime_dates() -> Vec<(String, NaiveDate)> {
    runtimes()
        .map(|t| t.runtime.iter().map(|r| (r.id.clone(), r.deprecated)).collect())
        .unwrap_or_default()
}
