//! Amazon SQS: queues' server-side encryption, the key behind it, and their queue policies.
//! No message is read: the evidence comes from `ListQueues`, `GetQueueAttributes` and
//! `ListQueueTags`.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsSqsQueue"];
