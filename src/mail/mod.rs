//! Mail: which notices are due and sent (`outbox`), their German text (`compose`) from the
//! project's mail templates (`templates`, compiled once at load), building them as MIME
//! messages (`message`), delivering them to files or SMTP (`transport`), and the send step of
//! a pass (`dispatch`).

pub mod compose;
pub mod dispatch;
pub mod message;
pub mod outbox;
pub mod scrub;
pub mod setup_error;
pub mod templates;
pub mod transport;
