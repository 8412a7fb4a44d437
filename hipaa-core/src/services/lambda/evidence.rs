//! AWS Lambda evidence: each function's configuration (from `ListFunctions`, environment
//! variable values dropped), tags, resource policy and function URLs.

use crate::aws::secret_names::EnvVar;
use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LambdaRegion {
    /// The functions (`ListFunctions`, unqualified `$LATEST` configurations).
    pub functions: Fact<Vec<Function>>,
}

/// A function: how it is packaged, what its environment holds, and who may call it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    /// Function ARN.
    pub arn: String,
    /// Function name.
    pub name: String,
    /// How the code is delivered, with the managed runtime of a .zip function.
    pub package: Fact<Package>,
    /// The customer-managed KMS key that encrypts its environment variables; absent means the
    /// AWS managed key `aws/lambda`.
    pub kms_key_arn: Option<String>,
    /// Its environment variables, names only; unknown when Lambda could not decrypt them.
    pub environment: Fact<Vec<EnvVar>>,
    /// Its tags (`ListTags`).
    pub tags: Fact<Tags>,
    /// Its resource policy JSON (`GetPolicy`); `None` when it has none.
    pub policy: Fact<Option<String>>,
    /// Its function URLs, of the function and of its aliases (`ListFunctionUrlConfigs`).
    pub urls: Fact<Vec<FunctionUrl>>,
}

/// How a function's code is delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Package {
    /// A .zip archive run by a Lambda-managed (or OS-only) runtime, e.g. `python3.13`.
    Zip {
        /// The runtime identifier.
        runtime: String,
    },
    /// A container image, which brings its own runtime.
    Image,
}

/// A function URL: an HTTPS endpoint that invokes the function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionUrl {
    /// The ARN the URL invokes (the function, or one of its aliases).
    pub function_arn: String,
    /// `AWS_IAM` (callers sign with IAM credentials) or `NONE` (anyone may call it).
    pub auth_type: String,
}

impl crate::evidence::RegionSection for LambdaRegion {}
