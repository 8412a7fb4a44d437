//! The languages AWS speaks, with no evidence and no rules: ARNs, wildcard patterns, AWS Backup
//! schedules, CloudWatch Logs filter patterns, IAM policy documents, and which environment
//! variable names look like credentials.
//!
//! Everything here is pure and total: malformed input gives an error value, never a panic.

pub mod arn;
pub mod filter_pattern;
pub mod glob;
pub mod policy;
pub mod schedule;
pub mod secret_names;
