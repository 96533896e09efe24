//! Mail: building notices as MIME messages and delivering them (files or SMTP).

pub mod message;
pub mod transport;
