//! AWS Organizations: the organization, its accounts, the account's parents and the service
//! control policies, which the scope and BAA rules read; and the organization-wide controls
//! (`org.*`), which only an organization scan judges (see `crate::organization`).

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;
#[cfg(test)]
pub(crate) use rules::organization_rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsOrganization", "AwsOrganizationalUnit"];
