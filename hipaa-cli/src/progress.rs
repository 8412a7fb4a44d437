//! A progress bar on a terminal; nothing when output is piped.

use hipaa_core::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Draws scan progress on stderr.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar when stderr is a terminal and the user did not opt out.
    pub fn new(enabled: bool) -> Bar {
        if !enabled || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:30}] {pos}/{len} {msg}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        pb.set_style(style);
        Bar(Some(pb))
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn update(&self, done: u64, total: u64, stage: &str) {
        if let Some(pb) = &self.0 {
            pb.set_length(total);
            pb.set_position(done);
            pb.set_message(format!("collecting {stage}"));
        }
    }
}
