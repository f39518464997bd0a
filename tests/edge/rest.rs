//! Behaviour of the crate generated from `tests/specs/edge/restedge.yaml` (a plain REST API),
//! compiled and run outside the workspace by `tests/tests/edge_crate.rs`: every call goes over
//! HTTP to a server on 127.0.0.1 that records what it received and answers from a script.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use restedge::acs_runtime::SdkError;
use restedge::operation::create_item::{CreateItemError, CreateItemRequest, CreateItemResponse};
use restedge::operation::delete_item::{DeleteItemError, DeleteItemRequest};
use restedge::operation::get_note::{GetNoteError, GetNoteRequest};
use restedge::operation::search::{Filter, SearchError, SearchRequest};
use restedge::operation::set_labels::SetLabelsRequest;
use restedge::operation::add_pet::AddPetRequest;
use restedge::operation::attach::AttachRequest;
use restedge::operation::evaluate::{EvaluateRequest, EvaluateResponse};
use restedge::operation::get_photo::GetPhotoRequest;
use restedge::operation::get_shape::GetShapeRequest;
use restedge::operation::ping::PingRequest;
use restedge::operation::upload_photo::UploadPhotoRequest;
use restedge::types::{Cat, Color, Dog, Expr, Negation, NewItem, Node, Pet, Shape};
use restedge::{Client, Config, RetryPolicy};

/// What the server received.
#[derive(Debug)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves one scripted answer per connection: status, content type and body.
fn serve(answers: Vec<(u16, &'static str, &'static str)>) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("address"));
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for (status, content_type, body) in answers {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_owned();
            let target = parts.next().unwrap_or_default().to_owned();
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).expect("header");
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    headers.push((name.trim().to_owned(), value.trim().to_owned()));
                }
            }
            let length = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().expect("length"));
            let mut bytes = vec![0; length];
            reader.read_exact(&mut bytes).expect("body");
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status} Scripted\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .expect("answer");
            let body = String::from_utf8(bytes).expect("UTF-8 body");
            let _ = sender.send(Received {
                method,
                target,
                headers,
                body,
            });
        }
    });
    (url, receiver)
}

fn client(url: &str) -> Client {
    let config = Config::anonymous()
        .with_endpoint(&restedge::SERVICE, url)
        .with_retry_policy(RetryPolicy::none())
        .with_bearer_token("tok-NEVER-PRINT");
    Client::new(&config)
}

#[tokio::test]
async fn path_parameters_with_reserved_characters_are_one_segment_each() {
    let (url, received) = serve(vec![(200, "application/json", r#"{"text":"hi"}"#)]);
    let request = GetNoteRequest::builder()
        .item_id("a/b c?d#e%f")
        .note_id(7)
        .x_trace_id("3f0c")
        .build()
        .expect("builds");
    let note = client(&url).get_note(request).await.expect("a note");
    assert_eq!(note.text.as_deref(), Some("hi"));
    let got = received.recv().expect("a request");
    assert_eq!(got.method, "GET");
    assert_eq!(got.target, "/v1/items/a%2Fb%20c%3Fd%23e%25f/notes/7");
    assert_eq!(got.header("x-trace-id"), Some("3f0c"));
    assert_eq!(got.header("authorization"), Some("Bearer tok-NEVER-PRINT"));
}

#[tokio::test]
async fn query_parameters_are_written_in_their_styles() {
    let (url, received) = serve(vec![(200, "application/json", r#"[{"id":"i-1","name":"one","attributes":{"a":1}}]"#)]);
    let request = SearchRequest::builder()
        .tag(["red", "big one"])
        .ids([1, 2])
        .words(["a", "b"])
        .codes(["x", "y"])
        .filter(Filter::builder().kind("dog").min(3).build().expect("filter"))
        .limit(5)
        .build()
        .expect("builds");
    let items = client(&url).search(request).await.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id.as_deref(), Some("i-1"));
    assert_eq!(items[0].attributes.as_ref().and_then(|a| a.get("a")), Some(&1));
    let got = received.recv().expect("a request");
    assert_eq!(
        got.target,
        "/v1/search?tag=red&tag=big%20one&ids=1%2C2&words=a%20b&codes=x%7Cy&filter%5Bkind%5D=dog&filter%5Bmin%5D=3&limit=5"
    );
}

#[tokio::test]
async fn statuses_decode_into_their_own_types() {
    let (url, _received) = serve(vec![
        (400, "application/problem+json", r#"{"title":"bad tag","status":400}"#),
        (503, "application/json", r#"{"title":"later"}"#),
        (404, "application/json", r#"{"title":"no such note"}"#),
    ]);
    let client = client(&url);
    let search = || SearchRequest::builder().build().expect("builds");
    match client.search(search()).await {
        Err(SdkError::Service(SearchError::ClientError { status, body })) => {
            assert_eq!(status, 400);
            assert_eq!(body.title.as_deref(), Some("bad tag"));
        }
        other => panic!("expected the 4XX variant, got {other:?}"),
    }
    match client.search(search()).await {
        Err(SdkError::Service(SearchError::Default { status, body })) => {
            assert_eq!(status, 503);
            assert_eq!(body.title.as_deref(), Some("later"));
        }
        other => panic!("expected the default variant, got {other:?}"),
    }
    let note = GetNoteRequest::builder().item_id("i").note_id(1).build().expect("builds");
    match client.get_note(note).await {
        Err(SdkError::Service(err @ GetNoteError::NotFound(_))) => {
            assert_eq!(err.http_status(), 404);
            assert_eq!(err.to_string(), "getNote answered HTTP 404 (NotFound)");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn a_json_body_and_several_success_types() {
    let (url, received) = serve(vec![
        (201, "application/json", r#"{"id":"i-9","name":"lamp","color":"green"}"#),
        (202, "application/json", r#"{"jobId":"j-1"}"#),
        (400, "application/json", r#"{"title":"name too long"}"#),
    ]);
    let client = client(&url);
    let body = NewItem::builder()
        .name("lamp")
        .color(Color::Green)
        .root(Node::builder().label("top").build().expect("node"))
        .build()
        .expect("item");
    let request = || CreateItemRequest::builder().body(body.clone()).build().expect("builds");
    match client.create_item(request()).await.expect("created") {
        CreateItemResponse::Created(item) => {
            assert_eq!(item.id.as_deref(), Some("i-9"));
            assert_eq!(item.color, Some(Color::Green));
        }
        other => panic!("expected Created, got {other:?}"),
    }
    let got = received.recv().expect("a request");
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/v1/items");
    assert_eq!(got.header("content-type"), Some("application/json; charset=utf-8"));
    let sent: serde_json::Value = serde_json::from_str(&got.body).expect("JSON body");
    assert_eq!(
        sent,
        serde_json::json!({"name": "lamp", "color": "green", "root": {"label": "top"}})
    );
    match client.create_item(request()).await.expect("accepted") {
        CreateItemResponse::Accepted(job) => assert_eq!(job.job_id.as_deref(), Some("j-1")),
        other => panic!("expected Accepted, got {other:?}"),
    }
    match client.create_item(request()).await {
        Err(SdkError::Service(CreateItemError::BadRequest(problem))) => {
            assert_eq!(problem.title.as_deref(), Some("name too long"));
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn undocumented_statuses_and_mismatched_bodies_are_errors() {
    let (url, _received) = serve(vec![
        (204, "application/json", ""),
        (404, "application/json", ""),
        (409, "text/plain", "locked"),
        (200, "application/json", r#"{"text": 5}"#),
    ]);
    let client = client(&url);
    let delete = || DeleteItemRequest::builder().item_id("i-1").build().expect("builds");
    client.delete_item(delete()).await.expect("no content");
    match client.delete_item(delete()).await {
        Err(SdkError::Service(DeleteItemError::NotFound)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
    match client.delete_item(delete()).await {
        Err(SdkError::Service(DeleteItemError::Unhandled(answer))) => {
            assert_eq!(answer.status, 409);
            assert_eq!(answer.body, b"locked");
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    let note = GetNoteRequest::builder().item_id("i").note_id(1).build().expect("builds");
    match client.get_note(note).await {
        Err(SdkError::Decode(err)) => {
            assert_eq!(err.http_status(), 200);
            assert!(err.reason().contains("does not match its documented schema"), "{err}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_form_body_writes_list_items_one_by_one() {
    let (url, received) = serve(vec![(200, "application/json", r#"["a","b c"]"#)]);
    let request = SetLabelsRequest::builder()
        .item_id("i-1")
        .label(["a", "b c"])
        .note("x&y")
        .build()
        .expect("builds");
    let labels = client(&url).set_labels(request).await.expect("labels");
    assert_eq!(labels, ["a", "b c"]);
    let got = received.recv().expect("a request");
    assert_eq!(got.method, "PUT");
    assert_eq!(got.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(got.body, "label=a&label=b%20c&note=x%26y");
}

#[test]
fn an_api_key_goes_where_the_api_says_and_secrets_stay_hidden() {
    let config = Config::anonymous()
        .with_api_key("key-NEVER-PRINT")
        .with_endpoint(&restedge::SERVICE, "http://127.0.0.1:1/v1");
    let client = restedge::acs_runtime::ServiceClient::new(&config, &restedge::SERVICE);
    let request = DeleteItemRequest::builder().item_id("i").build().expect("builds");
    let http = client.prepare(&request.to_request()).expect("prepares");
    assert_eq!(http.url, "http://127.0.0.1:1/v1/items/i");
    assert_eq!(http.header("x-api-key"), Some("key-NEVER-PRINT"));
    assert!(!format!("{http:?}").contains("NEVER-PRINT"));
    assert!(!format!("{config:?}").contains("NEVER-PRINT"));
}

#[tokio::test]
async fn a_tagged_union_is_read_by_its_discriminator() {
    let (url, received) = serve(vec![
        (
            200,
            "application/json",
            r#"{"petType":"puppy","name":"Bo","friend":{"petType":"cat","name":"Tom","lives":9}}"#,
        ),
        (200, "application/json", r#"{"petType":"fish","name":"Nemo"}"#),
        (200, "application/json", r#"{"petType":"cat","lives":"nine"}"#),
    ]);
    let client = client(&url);
    let rex = Dog::builder().pet_type("dog").name("Rex").build().expect("dog");
    let request = || AddPetRequest::builder().body(Pet::from(rex.clone())).build().expect("builds");
    match client.add_pet(request()).await.expect("a pet") {
        Pet::Dog(dog) => {
            assert_eq!(dog.name.as_deref(), Some("Bo"));
            let friend = dog.friend.expect("a friend");
            assert_eq!((friend.name.as_deref(), friend.lives), (Some("Tom"), Some(9)));
        }
        other => panic!("expected a dog, got {other:?}"),
    }
    let got = received.recv().expect("a request");
    assert_eq!(got.body, r#"{"petType":"dog","name":"Rex"}"#);
    // A value the SDK does not document is kept as it came.
    match client.add_pet(request()).await.expect("a pet") {
        Pet::Other(value) => assert_eq!(value["name"], "Nemo"),
        other => panic!("expected the catch-all, got {other:?}"),
    }
    // A documented kind whose body does not match its schema is a decoding error.
    match client.add_pet(request()).await {
        Err(SdkError::Decode(err)) => assert_eq!(err.http_status(), 200),
        other => panic!("expected a decoding error, got {other:?}"),
    }
    let _: Cat = Cat::builder().pet_type("cat").name("Tom").build().expect("cat");
}

#[tokio::test]
async fn an_untagged_union_is_the_first_variant_the_value_fits() {
    let answers = vec![
        (200, "application/json", r#"{"side":2,"label":"a"}"#),
        (200, "application/json", r#"{"radius":1.5}"#),
        (200, "application/json", r#""star""#),
        (200, "application/json", r#"{"corners":5}"#),
        (200, "application/json", r#"{"radius":1,"colour":"red"}"#),
        (200, "application/json", r#"42"#),
    ];
    let count = answers.len();
    let (url, _received) = serve(answers);
    let client = client(&url);
    let mut shapes = Vec::new();
    for _ in 0..count {
        let request = GetShapeRequest::builder().shape_id("s").build().expect("builds");
        shapes.push(client.get_shape(request).await.expect("a shape"));
    }
    match &shapes[0] {
        Shape::Square(square) => assert_eq!((square.side, square.label.as_deref()), (Some(2.0), Some("a"))),
        other => panic!("expected a square, got {other:?}"),
    }
    assert!(matches!(&shapes[1], Shape::Circle(c) if c.radius == Some(1.5)), "{:?}", shapes[1]);
    assert_eq!(shapes[2], Shape::String("star".to_owned()));
    assert!(matches!(&shapes[3], Shape::Polygon(p) if p.corners == Some(5)), "{:?}", shapes[3]);
    // An undeclared member does not rule a variant out when no variant declares it.
    assert!(matches!(&shapes[4], Shape::Circle(c) if c.radius == Some(1.0)), "{:?}", shapes[4]);
    assert_eq!(shapes[5], Shape::Other(serde_json::json!(42)));
}

#[tokio::test]
async fn a_union_that_contains_itself_is_sent_whole() {
    let (url, received) = serve(vec![
        (200, "application/json", "-2.5"),
        (200, "application/json", r#""division by zero""#),
    ]);
    let client = client(&url);
    let inner = Negation::builder().negate(Expr::Number(2.5)).build().expect("negation");
    let expr = Expr::from(Negation::builder().negate(inner).build().expect("negation"));
    let request = || EvaluateRequest::builder().body(expr.clone()).build().expect("builds");
    assert_eq!(client.evaluate(request()).await.expect("a value"), EvaluateResponse::Number(-2.5));
    let got = received.recv().expect("a request");
    assert_eq!(got.body, r#"{"negate":{"negate":2.5}}"#);
    assert_eq!(
        client.evaluate(request()).await.expect("a value"),
        EvaluateResponse::Failure("division by zero".to_owned())
    );
}

#[tokio::test]
async fn raw_and_text_bodies_are_sent_and_kept_as_they_are() {
    let (url, received) = serve(vec![
        (204, "text/plain", ""),
        (200, "image/png", "PNG\r\n\u{1a}\n"),
        (200, "text/plain", "pong"),
    ]);
    let client = client(&url);
    let upload = UploadPhotoRequest::builder()
        .item_id("i-1")
        .body(b"PNG\r\n\x1a\n".as_slice())
        .build()
        .expect("builds");
    client.upload_photo(upload).await.expect("stored");
    let got = received.recv().expect("a request");
    assert_eq!((got.method.as_str(), got.target.as_str()), ("PUT", "/v1/items/i-1/photo"));
    assert_eq!(got.header("content-type"), Some("image/png"));
    assert_eq!(got.body, "PNG\r\n\u{1a}\n");
    let photo = client
        .get_photo(GetPhotoRequest::builder().item_id("i-1").build().expect("builds"))
        .await
        .expect("a photo");
    assert_eq!(photo, b"PNG\r\n\x1a\n");
    let got = received.recv().expect("a request");
    assert_eq!(got.header("accept"), Some("image/png"));
    let pong = client.ping(PingRequest::builder().build().expect("builds")).await.expect("pong");
    assert_eq!(pong, "pong");
}

#[tokio::test]
async fn a_multipart_body_sends_fields_then_files() {
    let (url, received) = serve(vec![(201, "application/json", "")]);
    let request = AttachRequest::builder()
        .item_id("i-1")
        .caption("front")
        .tags(["a", "b"])
        .file(b"JPEG".as_slice())
        .build()
        .expect("builds");
    client(&url).attach(request).await.expect("attached");
    let got = received.recv().expect("a request");
    let content_type = got.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type");
    let field = |name: &str, value: &str| {
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let expected = [
        field("caption", "front"),
        field("tags", "a"),
        field("tags", "b"),
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"file\"\r\ncontent-type: application/octet-stream\r\n\r\nJPEG\r\n--{boundary}--\r\n"),
    ]
    .concat();
    assert_eq!(got.body, expected);
}
