//! Lambda in infrastructure code: `AWS::Lambda::Function` with `AWS::Lambda::Permission` and
//! `AWS::Lambda::Url`; Terraform's `aws_lambda_function` with `aws_lambda_permission` and
//! `aws_lambda_function_url`. The permissions become the resource policy Lambda writes for them
//! (one statement each, as `AddPermission` does). Environment variable values are reduced to
//! names on the spot, exactly as the live collector does ([`keep_name`]): only the name, whether
//! a value is set and whether it is a Secrets Manager or Parameter Store reference are kept.

use super::evidence::{Function, FunctionUrl, LambdaRegion, Package};
use crate::aws::secret_names::{keep_name, looks_secret, EnvVar};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};
use serde_json::{json, Map, Value as J};

const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "aws_lambda_function"];
const PERMISSIONS: &[&str] = &["AWS::Lambda::Permission", "aws_lambda_permission"];
const URLS: &[&str] = &["AWS::Lambda::Url", "aws_lambda_function_url"];
/// Where a value that is a reference to a stored secret comes from.
const SECRET_STORES: &[&str] = &[
    "AWS::SecretsManager::Secret",
    "AWS::SSM::Parameter",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_version",
    "aws_ssm_parameter",
];

/// The Lambda section from every function of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, FUNCTIONS) {
        return;
    }
    let section = by_region(
        sources,
        || LambdaRegion {
            functions: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Function> = src.of(FUNCTIONS).map(|r| function(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.functions {
                l.extend(list);
            }
        },
    );
    out.services.lambda = Some(section);
}

/// A function's name when the code fixes it, for links by literal name or ARN.
fn function_name(r: &Res) -> Option<String> {
    match r.props.get(if r.kind.contains("::") { "FunctionName" } else { "function_name" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// One environment variable of the code, reduced to its name and two flags before anything
/// else sees it. A value that refers to a secret or parameter of the code is a reference; a
/// value open until apply leaves the variable open only when its name looks like a credential.
pub(crate) fn env_var(src: &Source, name: &str, value: &Val, path: &str) -> Result<EnvVar, Unknown> {
    match value {
        Val::Ref { target, .. } => {
            let store = src
                .resources
                .iter()
                .any(|r| r.id == *target && SECRET_STORES.contains(&r.kind.as_str()));
            let var = keep_name(name, Some("(a value known after deploy)"));
            Ok(EnvVar {
                secret_reference: store,
                ..var
            })
        }
        Val::Sym { text, .. } => Ok(keep_name(name, Some(text))),
        Val::Open(_) if looks_secret(name)? => Err(open(
            &format!("{path}.{name}"),
            value.why_open().unwrap_or_default(),
        )),
        Val::Open(_) => Ok(keep_name(name, Some("(a value known after deploy)"))),
        Val::Null => Ok(keep_name(name, None)),
        other => {
            let text = other.text(&format!("{path}.{name}")).ok().flatten();
            Ok(keep_name(name, text.as_deref()))
        }
    }
}

/// The environment variables of a mapping (names only).
pub(crate) fn env_vars(src: &Source, vars: &Val, path: &str) -> Result<Vec<EnvVar>, Unknown> {
    // A map Terraform computes as a whole (one of its values is known only after apply) hides
    // even the names: open, not malformed.
    if let Some(why) = vars.why_open() {
        return Err(open(path, why));
    }
    let mut out = Vec::new();
    for (k, v) in vars.entries(path)? {
        out.push(env_var(src, k, v, path)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn package(src: &Source, r: &Res) -> Result<Package, Unknown> {
    let (ty, rt) = if src.is_cfn() {
        ("PackageType", "Runtime")
    } else {
        ("package_type", "runtime")
    };
    if r.props.get(ty).text(ty)?.as_deref() == Some("Image") {
        return Ok(Package::Image);
    }
    match r.props.get(rt).text(rt)? {
        Some(runtime) => Ok(Package::Zip { runtime }),
        None => Err(open(rt, "a .zip function without a runtime")),
    }
}

/// The statement Lambda writes for one permission.
fn statement(src: &Source, p: &Res, function_arn: &str, n: usize) -> Result<J, Unknown> {
    let cfn = src.is_cfn();
    let get = |c: &str, t: &str| -> Result<Option<String>, Unknown> {
        let k = if cfn { c } else { t };
        p.props.get(k).name(k)
    };
    let principal = get("Principal", "principal")?.unwrap_or_default();
    let principal = if principal == "*" {
        json!("*")
    } else if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        json!({"AWS": format!("arn:{}:iam::{principal}:root", src.partition)})
    } else if principal.starts_with("arn:") {
        json!({"AWS": principal})
    } else {
        json!({"Service": principal})
    };
    let mut condition = Map::new();
    let mut equals = Map::new();
    if let Some(a) = get("SourceArn", "source_arn")? {
        condition.insert("ArnLike".into(), json!({"AWS:SourceArn": a}));
    }
    if let Some(a) = get("SourceAccount", "source_account")? {
        equals.insert("AWS:SourceAccount".into(), json!(a));
    }
    if let Some(o) = get("PrincipalOrgID", "principal_org_id")? {
        equals.insert("aws:PrincipalOrgID".into(), json!(o));
    }
    if let Some(t) = get("FunctionUrlAuthType", "function_url_auth_type")? {
        equals.insert("lambda:FunctionUrlAuthType".into(), json!(t));
    }
    if !equals.is_empty() {
        condition.insert("StringEquals".into(), J::Object(equals));
    }
    let mut s = json!({
        "Sid": format!("{}-{n}", p.id),
        "Effect": "Allow",
        "Principal": principal,
        "Action": get("Action", "action")?.unwrap_or_else(|| "lambda:InvokeFunction".into()),
        "Resource": function_arn,
    });
    if !condition.is_empty() {
        s["Condition"] = J::Object(condition);
    }
    Ok(s)
}

fn policy(src: &Source, r: &Res, arn: &str) -> Result<Option<String>, Unknown> {
    let path = if src.is_cfn() { "FunctionName" } else { "function_name" };
    let perms = src.attached(r, PERMISSIONS, &[path], FUNCTIONS, function_name)?;
    if perms.is_empty() {
        return Ok(None);
    }
    let statements = perms
        .iter()
        .enumerate()
        .map(|(n, p)| statement(src, p, arn, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(
        json!({"Version": "2012-10-17", "Id": "default", "Statement": statements}).to_string(),
    ))
}

fn urls(src: &Source, r: &Res, arn: &str) -> Result<Vec<FunctionUrl>, Unknown> {
    let (path, auth, qualifier) = if src.is_cfn() {
        ("TargetFunctionArn", "AuthType", "Qualifier")
    } else {
        ("function_name", "authorization_type", "qualifier")
    };
    let mut out = Vec::new();
    for u in src.attached(r, URLS, &[path], FUNCTIONS, function_name)? {
        let function_arn = match u.props.get(qualifier).name(qualifier)? {
            Some(q) => format!("{arn}:{q}"),
            None => arn.to_string(),
        };
        let auth_type = u
            .props
            .get(auth)
            .text(auth)?
            .ok_or_else(|| open(auth, "a function URL without an auth type"))?;
        out.push(FunctionUrl {
            function_arn,
            auth_type,
        });
    }
    Ok(out)
}

fn function(src: &Source, r: &Res, out: &mut Converted) -> Function {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let key = if cfn { "KmsKeyArn" } else { "kms_key_arn" };
    let kms_key_arn = out.or_open(r, &arn, &["lambda.env_cmk_encryption"], r.props.get(key).name(key), None);
    let vars = if cfn {
        r.props.at(&["Environment", "Variables"]).clone()
    } else {
        match r.props.get("environment").items("environment") {
            Ok(items) => items.first().map_or(Val::Null, |e| e.get("variables").clone()),
            Err(u) => Val::Open(u.detail),
        }
    };
    let path = if cfn { "Environment.Variables" } else { "environment.variables" };
    Function {
        name: r.id.clone(),
        package: package(src, r).into(),
        kms_key_arn,
        environment: env_vars(src, &vars, path).into(),
        tags: r.tags("Tags").into(),
        policy: policy(src, r, &arn).into(),
        urls: urls(src, r, &arn).into(),
        arn,
    }
}
