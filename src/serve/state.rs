//! What every request handler shares: the project as the watcher last read it, the link key
//! and the clock.
//!
//! The watcher's pass owns loading; after each pass that read inputs again it publishes a
//! snapshot here ([`AppState::publish`]). Handlers take the current snapshot (an `Arc`, so a
//! reload never blocks a page) and read journals themselves: a journal is the truth at the
//! moment of the request, and every write goes through [`crate::record`] under the paper's lock.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use super::key::LinkKey;
use super::session::Access;
use crate::load::Project;

/// The clock of the service: real time, or shifted by `--now`.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Shared by all handlers.
pub struct AppState {
    project: RwLock<Arc<Project>>,
    key: LinkKey,
    clock: Clock,
    /// Sessions, used login links, login attempts (`state/web/`).
    access: Access,
    /// The board's last snapshot.
    board: Arc<super::board_data::BoardCache>,
    /// The OParl objects of the last snapshot.
    oparl: super::oparl::OparlCache,
    /// The journals the watcher read last, for the board to start from.
    journals: std::sync::Mutex<crate::pass::Journals>,
}

impl AppState {
    pub fn new(project: impl Into<Arc<Project>>, key: LinkKey, clock: Clock) -> Self {
        let project = project.into();
        let access = Access::open(&project.folders().state);
        AppState {
            access,
            board: Arc::default(),
            oparl: super::oparl::OparlCache::default(),
            project: RwLock::new(project),
            journals: std::sync::Mutex::default(),
            key,
            clock,
        }
    }

    /// The project as last published.
    pub fn project(&self) -> Arc<Project> {
        Arc::clone(
            &self
                .project
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Replaces the project (after the watcher read changed inputs).
    pub fn publish(&self, project: Arc<Project>) {
        let mut held = self
            .project
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *held = project;
    }

    /// Keeps the journals the watcher has read (after each pass), so the board's next snapshot
    /// shares their entries instead of reading every journal again.
    pub fn share_journals(&self, journals: crate::pass::Journals) {
        *self
            .journals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = journals;
    }

    fn shared_journals(&self) -> crate::pass::Journals {
        self.journals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The link key.
    pub fn key(&self) -> &[u8] {
        self.key.bytes()
    }

    /// What the login keeps.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// The OParl objects (see [`super::oparl`]).
    pub fn oparl(&self) -> &super::oparl::OparlCache {
        &self.oparl
    }

    /// The board's snapshot of the current project (see [`super::board_data`]).
    pub fn board(&self) -> Arc<super::board_data::Snapshot> {
        self.board
            .current(self.project(), || self.shared_journals(), self.now())
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}
