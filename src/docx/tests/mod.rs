//! Tests of the whole engine on the Word-made fixture template.

mod errors;
