//! The OParl 1.1 export (`ratsflow oparl`): the project's public side as a static tree of
//! JSON files under `out/oparl/`, readable by portals and the Länder the way any council
//! information system is.
//!
//! The way through: [`input::gather`] reads what the export is built from (engine states,
//! agendas, rendered documents); [`export::build`] turns it into OParl objects — pure, so the
//! web service can serve the same objects; [`export::documents`] lays them out as files with
//! paginated lists ([`lists`], which also holds the list filters); [`write::tree`] replaces
//! `out/oparl/` as a whole. What may leave the project is decided in [`public`] alone.

mod context;
pub mod directory;
pub mod export;
pub mod files;
pub mod input;
pub mod lists;
pub mod meetings;
pub mod papers;
pub mod public;
mod settings;
pub mod urls;
pub mod write;

pub use settings::{OparlSettings, RawOparl};
