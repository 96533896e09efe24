//! Mail: which notices are due and sent (`outbox`), their German text (`compose`), building
//! them as MIME messages (`message`), delivering them to files or SMTP (`transport`), and the
//! send step of a pass (`dispatch`).

pub mod compose;
pub mod dispatch;
pub mod message;
pub mod outbox;
pub mod transport;
