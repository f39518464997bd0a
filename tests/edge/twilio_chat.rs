//! Behaviour of the crate generated from `tests/specs/public/twilio_chat_v2.json` (Twilio
//! Chat): form bodies with PascalCase and dotted member names, header parameters, basic auth.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;

use twilio_chat_v2::operation::create_channel::CreateChannelRequest;
use twilio_chat_v2::types::ChannelEnumWebhookEnabledType;
use twilio_chat_v2::{Client, Config, RetryPolicy};

#[test]
fn a_channel_is_created_with_a_form_body() {
    let request = CreateChannelRequest::builder()
        .service_sid("IS123")
        .friendly_name("Ops & on-call")
        .unique_name("ops")
        .x_twilio_webhook_enabled(ChannelEnumWebhookEnabledType::True)
        .build()
        .expect("builds")
        .to_request();
    assert_eq!(request.path, "/v2/Services/IS123/Channels");
    assert_eq!(
        request.body.content_type(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body.to_bytes(),
        b"FriendlyName=Ops%20%26%20on-call&UniqueName=ops"
    );
    let headers: Vec<_> = request.headers.iter().collect();
    assert_eq!(headers, [("X-Twilio-Webhook-Enabled", "true")]);
}

#[tokio::test]
async fn calls_carry_basic_credentials() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut head = Vec::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("line");
            if line.trim().is_empty() {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().expect("length");
            }
            head.push(line.trim_end().to_owned());
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        let answer = r#"{"sid":"CH1","friendly_name":"Ops"}"#;
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .expect("answer");
        head
    });
    let config = Config::anonymous()
        .with_endpoint(&twilio_chat_v2::SERVICE, &url)
        .with_retry_policy(RetryPolicy::none())
        .with_basic_auth("AC-user", "secret-NEVER-PRINT");
    assert!(!format!("{config:?}").contains("NEVER-PRINT"));
    let request = CreateChannelRequest::builder()
        .service_sid("IS123")
        .friendly_name("Ops")
        .build()
        .expect("builds");
    let channel = Client::new(&config)
        .create_channel(request)
        .await
        .expect("a channel");
    assert_eq!(channel.sid.as_deref(), Some("CH1"));
    let head = server.join().expect("server");
    assert_eq!(head[0], "POST /v2/Services/IS123/Channels HTTP/1.1");
    // base64("AC-user:secret-NEVER-PRINT")
    assert!(
        head.iter()
            .any(|h| h.eq_ignore_ascii_case("authorization: Basic QUMtdXNlcjpzZWNyZXQtTkVWRVItUFJJTlQ=")),
        "{head:?}"
    );
}
