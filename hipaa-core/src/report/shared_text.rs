//! The catalog's text in findings (title, citations, remediation) shared between the findings of
//! one control instead of copied into each. It is over half of a finding's size, so sharing it
//! keeps an organization report of a thousand accounts small in memory.

use super::Finding;
use crate::catalog::{Control, Remediation};
use std::collections::HashMap;
use std::sync::Arc;

/// One control's text, as its findings share it.
#[derive(Debug, Clone)]
pub(crate) struct ControlText {
    pub title: Arc<str>,
    pub citations: Arc<[String]>,
    pub remediation: Arc<Remediation>,
}

impl ControlText {
    fn of(c: &Control, citations: Vec<String>) -> Self {
        ControlText {
            title: Arc::from(c.title.as_str()),
            citations: Arc::from(citations),
            remediation: Arc::new(c.remediation.clone()),
        }
    }

    fn is_of(&self, c: &Control, citations: &[String]) -> bool {
        *self.title == *c.title
            && *self.citations == *citations
            && *self.remediation == c.remediation
    }
}

/// Control text by control id: the first text seen for a control is handed to every later
/// finding whose text is equal (text that differs, say from an older catalog, stays its own).
#[derive(Debug, Default)]
pub(crate) struct TextPool(HashMap<String, ControlText>);

impl TextPool {
    /// The shared text of a control of the catalog, with the citations its framework gives it.
    pub fn for_control(&mut self, c: &Control, citations: Vec<String>) -> ControlText {
        match self.0.get(&c.id) {
            Some(t) if t.is_of(c, &citations) => t.clone(),
            _ => {
                let t = ControlText::of(c, citations);
                self.0.insert(c.id.clone(), t.clone());
                t
            }
        }
    }

    /// Point a finding's text at the shared copy when equal (the first finding of a control
    /// seeds it).
    pub fn share(&mut self, f: &mut Finding) {
        match self.0.get(&f.control_id) {
            Some(t) => {
                if t.title == f.title {
                    f.title = t.title.clone();
                }
                if t.citations == f.citations {
                    f.citations = t.citations.clone();
                }
                if t.remediation == f.remediation {
                    f.remediation = t.remediation.clone();
                }
            }
            None => {
                self.0.insert(
                    f.control_id.clone(),
                    ControlText {
                        title: f.title.clone(),
                        citations: f.citations.clone(),
                        remediation: f.remediation.clone(),
                    },
                );
            }
        }
    }
}
