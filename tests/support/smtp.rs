//! An SMTP server inside the test process, so `cargo test` exercises the real SMTP transport.
//!
//! The protocol state machine is the `mailin` crate; this file adds the sockets around it: an
//! ephemeral port on 127.0.0.1, STARTTLS or implicit TLS with a throw-away CA and a `localhost`
//! certificate made with rcgen at start, AUTH PLAIN/LOGIN (only after TLS) with a fixed user and
//! password, replies of 451 or 550 on request, and stop/restart on the same port for outage
//! tests. (`mailin-embedded` serves forever and cannot be stopped, hence the own accept loop.)
//! Every accepted message is kept in memory with its envelope.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mailin::{Action, AuthMechanism, Handler, Response, Session, SessionBuilder};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// How the server secures connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS at all.
    Plain,
    /// Offers STARTTLS (port 587 style).
    StartTls,
    /// TLS from the first byte (port 465 style).
    ImplicitTls,
}

/// What the server offers.
#[derive(Debug, Clone)]
pub struct Options {
    pub security: Security,
    /// User and password for AUTH PLAIN/LOGIN; when set, mail is only accepted after login.
    pub auth: Option<(String, String)>,
}

impl Options {
    /// Plain SMTP, no login: a local relay.
    pub fn plain() -> Self {
        Options {
            security: Security::Plain,
            auth: None,
        }
    }

    /// STARTTLS and a login with `user`/`password`.
    pub fn starttls_with_login(user: &str, password: &str) -> Self {
        Options {
            security: Security::StartTls,
            auth: Some((user.to_owned(), password.to_owned())),
        }
    }

    /// Implicit TLS and a login with `user`/`password`.
    pub fn tls_with_login(user: &str, password: &str) -> Self {
        Options {
            security: Security::ImplicitTls,
            auth: Some((user.to_owned(), password.to_owned())),
        }
    }
}

/// Where in a transaction an injected failure is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The reply to `RCPT TO`.
    Rcpt,
    /// The reply after the message data (`.`); the server then closes the connection.
    Data,
}

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    /// `MAIL FROM` as the client sent it.
    pub from: String,
    /// Every accepted `RCPT TO`.
    pub to: Vec<String>,
    /// The message exactly as transferred (dot-unstuffed), CRLF line ends.
    pub data: Vec<u8>,
    /// The user that logged in, if any.
    pub user: Option<String>,
    /// Whether the connection was encrypted.
    pub tls: bool,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    failure: Mutex<Option<(Stage, u16)>>,
    failed_logins: Mutex<u32>,
    connections: Mutex<u32>,
    /// Refuse logins with a reply that echoes the AUTH payload, as some servers do.
    echo_auth: AtomicBool,
}

/// Open connections by number, so `stop` can cut them; a session removes its own when it ends.
type Streams = Arc<Mutex<HashMap<u64, TcpStream>>>;

struct Running {
    stop: Arc<AtomicBool>,
    acceptor: JoinHandle<()>,
    streams: Streams,
    sessions: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

/// A running (or stopped) test SMTP server on 127.0.0.1.
pub struct TestSmtp {
    /// The port, the same across stop and restart.
    pub port: u16,
    /// PEM of the CA that signed the server certificate (`None` for plain servers).
    pub ca_pem: Option<String>,
    options: Options,
    tls: Option<Arc<ServerConfig>>,
    shared: Arc<Shared>,
    running: Option<Running>,
}

/// Locks a mutex, surviving a panicked session thread.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TestSmtp {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub fn start(options: Options) -> TestSmtp {
        let (tls, ca_pem) = match options.security {
            Security::Plain => (None, None),
            Security::StartTls | Security::ImplicitTls => {
                let (config, ca_pem) = throwaway_tls();
                (Some(config), Some(ca_pem))
            }
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let mut server = TestSmtp {
            port,
            ca_pem,
            options,
            tls,
            shared: Arc::new(Shared::default()),
            running: None,
        };
        server.run(listener);
        server
    }

    /// Writes the CA certificate to `dir/ca.pem` and returns its path (for `ca_file`).
    pub fn write_ca(&self, dir: &Path) -> PathBuf {
        let path = dir.join("ca.pem");
        let pem = self
            .ca_pem
            .as_deref()
            .expect("server without TLS has no CA");
        std::fs::write(&path, pem).expect("write ca.pem");
        path
    }

    /// Every message accepted so far, as raw bytes.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        lock(&self.shared.received)
            .iter()
            .map(|received| received.data.clone())
            .collect()
    }

    /// The `Message-ID` of every message accepted so far, with how often it came: a notice
    /// sent twice counts 2.
    pub fn message_ids(&self) -> BTreeMap<String, usize> {
        let mut ids = BTreeMap::new();
        for data in self.messages() {
            let text = String::from_utf8_lossy(&data);
            let id = text
                .lines()
                .find_map(|l| l.strip_prefix("Message-ID: ").map(|v| v.trim().to_string()))
                .unwrap_or_default();
            *ids.entry(id).or_insert(0) += 1;
        }
        ids
    }

    /// Every message accepted so far, with its envelope.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// How many logins were refused.
    pub fn failed_logins(&self) -> u32 {
        *lock(&self.shared.failed_logins)
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> u32 {
        *lock(&self.shared.connections)
    }

    /// Answers the next `stage` (of any connection) with `code` instead of accepting.
    pub fn fail_next(&self, stage: Stage, code: u16) {
        *lock(&self.shared.failure) = Some((stage, code));
    }

    /// Refuses every login with a 535 reply that echoes the base64 AUTH payload and the user.
    pub fn echo_auth_in_refusals(&self) {
        self.shared.echo_auth.store(true, Ordering::SeqCst);
    }

    /// Closes the port and every open connection; connecting is refused until [`Self::restart`].
    pub fn stop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        running.stop.store(true, Ordering::SeqCst);
        let _ = running.acceptor.join();
        for (_, stream) in lock(&running.streams).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let sessions: Vec<_> = lock(&running.sessions).drain(..).collect();
        for session in sessions {
            let _ = session.join();
        }
    }

    /// Listens on the same port again, with the same certificate and messages.
    pub fn restart(&mut self) {
        if self.running.is_some() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)) {
                Ok(listener) => break listener,
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Err(err) => panic!("cannot listen on 127.0.0.1:{} again: {err}", self.port),
            }
        };
        self.run(listener);
    }

    fn run(&mut self, listener: TcpListener) {
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let streams: Streams = Arc::new(Mutex::new(HashMap::new()));
        let sessions = Arc::new(Mutex::new(Vec::new()));
        let context = Context {
            options: self.options.clone(),
            tls: self.tls.clone(),
            shared: Arc::clone(&self.shared),
        };
        let acceptor = {
            let stop = Arc::clone(&stop);
            let streams = Arc::clone(&streams);
            let sessions = Arc::clone(&sessions);
            thread::spawn(move || {
                let mut next_id = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, peer)) => {
                            *lock(&context.shared.connections) += 1;
                            next_id += 1;
                            let id = next_id;
                            if let Ok(clone) = stream.try_clone() {
                                lock(&streams).insert(id, clone);
                            }
                            let context = context.clone();
                            let streams = Arc::clone(&streams);
                            let handle = thread::spawn(move || {
                                let _ = serve(stream, peer, &context);
                                // Hang up for real: the clone kept for `stop` holds the socket.
                                if let Some(clone) = lock(&streams).remove(&id) {
                                    let _ = clone.shutdown(Shutdown::Both);
                                }
                            });
                            lock(&sessions).push(handle);
                        }
                        Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                            thread::sleep(Duration::from_millis(5));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
                // The listener is dropped here: the port is closed.
            })
        };
        self.running = Some(Running {
            stop,
            acceptor,
            streams,
            sessions,
        });
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        self.stop();
    }
}

#[derive(Clone)]
struct Context {
    options: Options,
    tls: Option<Arc<ServerConfig>>,
    shared: Arc<Shared>,
}

/// Per-connection flags shared between the handler and the I/O loop.
#[derive(Default)]
struct Connection {
    tls: AtomicBool,
    close_after_reply: AtomicBool,
}

struct SessionHandler {
    context: Context,
    connection: Arc<Connection>,
    user: Option<String>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl SessionHandler {
    fn take_failure(&self, stage: Stage) -> Option<Response> {
        let mut failure = lock(&self.context.shared.failure);
        match *failure {
            Some((at, code)) if at == stage => {
                *failure = None;
                let text = if code < 500 {
                    "4.3.0 Testserver: voruebergehend nicht verfuegbar"
                } else {
                    "5.1.1 Testserver: Postfach unbekannt"
                };
                Some(Response::custom(code, text.to_owned()))
            }
            _ => None,
        }
    }

    fn login(&mut self, user: &str, password: &str) -> Response {
        if self.context.shared.echo_auth.load(Ordering::SeqCst) {
            *lock(&self.context.shared.failed_logins) += 1;
            let payload = base64(format!("\0{user}\0{password}").as_bytes());
            let login = format!(
                "{} {}",
                base64(user.as_bytes()),
                base64(password.as_bytes())
            );
            return Response::custom(
                535,
                format!(
                    "5.7.8 Authentication failed: AUTH PLAIN {payload} / LOGIN {login} for {user}"
                ),
            );
        }
        match &self.context.options.auth {
            Some((expected_user, expected_password))
                if user == expected_user && password == expected_password =>
            {
                self.user = Some(user.to_owned());
                mailin::response::AUTH_OK
            }
            _ => {
                *lock(&self.context.shared.failed_logins) += 1;
                mailin::response::INVALID_CREDENTIALS
            }
        }
    }
}

impl Handler for SessionHandler {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.from = from.to_owned();
        self.to.clear();
        self.data.clear();
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if let Some(failure) = self.take_failure(Stage::Rcpt) {
            return failure;
        }
        self.to.push(to.to_owned());
        mailin::response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(failure) = self.take_failure(Stage::Data) {
            // mailin stays in its data state after an error reply; hang up like a real server.
            self.connection
                .close_after_reply
                .store(true, Ordering::SeqCst);
            return failure;
        }
        lock(&self.context.shared.received).push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: std::mem::take(&mut self.data),
            user: self.user.clone(),
            tls: self.connection.tls.load(Ordering::SeqCst),
        });
        mailin::response::OK
    }

    fn auth_plain(
        &mut self,
        _authorization_id: &str,
        authentication_id: &str,
        password: &str,
    ) -> Response {
        self.login(authentication_id, password)
    }

    fn auth_login(&mut self, username: &str, password: &str) -> Response {
        self.login(username, password)
    }
}

enum Outcome {
    Closed,
    UpgradeTls,
}

/// Talks SMTP on one connection until the client quits or the server is stopped.
fn serve(stream: TcpStream, peer: SocketAddr, context: &Context) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut builder = SessionBuilder::new("localhost");
    if context.options.security == Security::StartTls {
        builder.enable_start_tls();
    }
    if context.options.auth.is_some() {
        builder.enable_auth(AuthMechanism::Plain);
        builder.enable_auth(AuthMechanism::Login);
    }
    let connection = Arc::new(Connection::default());
    let handler = SessionHandler {
        context: context.clone(),
        connection: Arc::clone(&connection),
        user: None,
        from: String::new(),
        to: Vec::new(),
        data: Vec::new(),
    };
    let mut session = builder.build(peer.ip(), handler);

    if context.options.security == Security::ImplicitTls {
        let config = context.tls.clone().expect("TLS server has a config");
        session.tls_active();
        connection.tls.store(true, Ordering::SeqCst);
        let mut reader = BufReader::new(StreamOwned::new(
            ServerConnection::new(config).map_err(io::Error::other)?,
            stream,
        ));
        reply(&mut reader, &session.greeting())?;
        converse(&mut session, &mut reader, &connection)?;
        return Ok(());
    }

    let mut reader = BufReader::new(stream);
    reply(&mut reader, &session.greeting())?;
    if let Outcome::UpgradeTls = converse(&mut session, &mut reader, &connection)? {
        if !reader.buffer().is_empty() {
            return Err(io::Error::other(
                "client sent data before the TLS handshake",
            ));
        }
        let config = context.tls.clone().expect("STARTTLS server has a config");
        let tls = StreamOwned::new(
            ServerConnection::new(config).map_err(io::Error::other)?,
            reader.into_inner(),
        );
        session.tls_active();
        connection.tls.store(true, Ordering::SeqCst);
        let mut reader = BufReader::new(tls);
        converse(&mut session, &mut reader, &connection)?;
    }
    Ok(())
}

fn reply<S: Write>(reader: &mut BufReader<S>, response: &Response) -> io::Result<()> {
    let writer = reader.get_mut();
    response.write_to(writer)?;
    writer.flush()
}

fn converse<S: Read + Write, H: Handler>(
    session: &mut Session<H>,
    reader: &mut BufReader<S>,
    connection: &Connection,
) -> io::Result<Outcome> {
    let mut line = Vec::with_capacity(128);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(Outcome::Closed);
        }
        let response = session.process(&line);
        match response.action {
            Action::NoReply => {}
            Action::Reply => {
                reply(reader, &response)?;
                if connection.close_after_reply.swap(false, Ordering::SeqCst) {
                    return Ok(Outcome::Closed);
                }
            }
            Action::Close => {
                reply(reader, &response)?;
                return Ok(Outcome::Closed);
            }
            Action::UpgradeTls => {
                reply(reader, &response)?;
                return Ok(Outcome::UpgradeTls);
            }
        }
    }
}

/// A CA and a certificate for `localhost`/127.0.0.1 signed by it; returns the server config and
/// the CA's PEM for the client's `ca_file`.
fn throwaway_tls() -> (Arc<ServerConfig>, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ratsflow Test-CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().expect("server key");
    let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("server params");
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, &issuer).expect("server certificate");

    let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone(), ca_cert.der().clone()];
    let private_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .expect("server TLS config");
    (Arc::new(config), ca_cert.pem())
}

/// Standard base64 with padding (for echoed AUTH payloads).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
