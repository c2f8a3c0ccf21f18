//! What can go wrong, for the Rust API; the C boundary maps each case to a status once.

use std::fmt;

/// An error from a counter operation. A call that returns one has changed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An increment by 0: a G-Counter's increments must make it grow.
    ZeroIncrement,
    /// The agent's slot would exceed `u64::MAX`.
    SlotOverflow { agent_id: String },
    /// The input is not the wire format.
    InvalidJson(JsonError),
}

/// Why a document is not the wire format, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset in the input where the problem was found.
    pub offset: usize,
    /// What is wrong, in a few words.
    pub reason: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ZeroIncrement => f.write_str("increment 'by' must be at least 1, got 0"),
            Error::SlotOverflow { agent_id } => write!(
                f,
                "the slot of agent {} would exceed UINT64_MAX",
                crate::escape::quoted(agent_id)
            ),
            Error::InvalidJson(error) => error.fmt(f),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for Error {}
impl std::error::Error for JsonError {}

impl From<JsonError> for Error {
    fn from(error: JsonError) -> Self {
        Error::InvalidJson(error)
    }
}
