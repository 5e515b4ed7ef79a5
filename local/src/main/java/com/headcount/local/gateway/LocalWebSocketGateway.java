package com.headcount.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.local.lambda.LocalContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * API Gateway's WebSocket API on the loopback, as the dashboards' functions meet it: a WebSocket upgrade on
 * {@code /<stage>} runs the real {@code $connect} function with an {@link APIGatewayV2WebSocketEvent} and completes
 * the handshake only on a 2xx answer (otherwise the upgrade is refused with the function's status and body); every
 * text message runs {@code $default}, whose response body goes back to the sender (a route response); a closed
 * connection runs {@code $disconnect}. The {@code @connections} management API is served on the same port
 * ({@code POST}, {@code GET}, {@code DELETE} on {@code /<stage>/@connections/<id>}), answering 410 with
 * {@code GoneException} for a connection that is not open, so the real {@code ApiGatewayManagementApiClient} works
 * against {@link #callbackUrl()} unchanged.
 *
 * <p>Functions run on virtual threads, never on Netty's event loop: they block on DynamoDB.
 */
public final class LocalWebSocketGateway implements AutoCloseable {

    public static final String STAGE = "live";
    /** API Gateway's limit on a WebSocket message. */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("headcount.connection");
    private static final SecureRandom IDS = new SecureRandom();

    /** The three routes' functions. */
    public record Routes(RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connect,
                         RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> disconnect,
                         RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> defaultRoute) {}

    private record Connection(String id, Channel channel, Instant connectedAt, String sourceIp, String userAgent,
                              WebSocketServerHandshaker handshaker) {}

    private final Routes routes;
    private final Clock clock;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final ExecutorService functions = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastActive = new ConcurrentHashMap<>();
    private final Channel server;

    private LocalWebSocketGateway(int port, Routes routes, Clock clock) throws InterruptedException {
        this.routes = routes;
        this.clock = clock;
        this.server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_MESSAGE_BYTES),
                                new Handler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
    }

    /** @param port 0 for any free port */
    public static LocalWebSocketGateway start(int port, Routes routes, Clock clock) {
        try {
            return new LocalWebSocketGateway(port, routes, clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding port " + port, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Where dashboards connect: {@code ws://127.0.0.1:<port>/live}. */
    public URI url() {
        return URI.create("ws://127.0.0.1:" + port() + "/" + STAGE);
    }

    /** The {@code @connections} endpoint, as the stage's callback URL is in AWS. */
    public URI callbackUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/" + STAGE);
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Stops at once, as an outage would: every connection is dropped without a close frame (dashboards see an abnormal
     * closure), then {@code $disconnect} runs for each, as API Gateway sends it on a best-effort basis.
     */
    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        for (Connection c : open.values()) c.channel().close().awaitUninterruptibly();
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        functions.shutdown();
        try {
            functions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WebSocket gateway on port " + port();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                http(ctx, request);
            } else if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Connection c = ctx.channel().attr(CONNECTION).get();
            if (c != null && open.remove(c.id()) != null) {
                lastActive.remove(c.id());
                APIGatewayV2WebSocketEvent event = event(c, "$disconnect", "DISCONNECT", null, false, Map.of(), null);
                functions.execute(() -> invoke(routes.disconnect(), "DashboardDisconnectFunction", event));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void http(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        // the raw path: a connection id may hold a '/', which the management client sends as %2F
        String managed = connectionIdIn(uri.rawPath());
        if (managed != null) {
            manage(ctx, request.method(), managed, ByteBufUtil.getBytes(request.content()));
            return;
        }
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (!upgrade || !(path.equals("/" + STAGE) || path.equals("/"))) {
            respond(ctx, HttpResponseStatus.valueOf(upgrade ? 404 : 426), "{\"message\":\"Forbidden\"}");
            return;
        }
        String id = newConnectionId();
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + "," + b));
        Map<String, String> query = new LinkedHashMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, String.join(",", v)));
        String sourceIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + path, null, false, MAX_MESSAGE_BYTES)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Connection c = new Connection(id, ctx.channel(), clock.instant(), sourceIp, headers.getOrDefault("user-agent", ""),
                handshaker);
        FullHttpRequest retained = request.retainedDuplicate();
        APIGatewayV2WebSocketEvent event = event(c, "$connect", "CONNECT", null, false, query, headers);
        functions.execute(() -> {
            APIGatewayV2WebSocketResponse answer = invoke(routes.connect(), "DashboardConnectFunction", event);
            ctx.channel().eventLoop().execute(() -> {
                try {
                    int status = answer == null ? 500 : answer.getStatusCode();
                    if (status / 100 != 2) {
                        String body = answer == null ? "{\"message\":\"Internal server error\"}" : answer.getBody();
                        FullHttpResponse refusal = response(HttpResponseStatus.valueOf(status), body);
                        ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                        // the connection was never open: no $disconnect, as with API Gateway
                        return;
                    }
                    ctx.channel().attr(CONNECTION).set(c);
                    open.put(id, c);
                    lastActive.put(id, c.connectedAt());
                    handshaker.handshake(ctx.channel(), retained);
                } finally {
                    retained.release();
                }
            });
        });
    }

    private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Connection c = ctx.channel().attr(CONNECTION).get();
        if (c == null) return;
        if (frame instanceof CloseWebSocketFrame close) {
            c.handshaker().close(ctx.channel(), close.retain());
            return;
        }
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) return;
        lastActive.put(c.id(), clock.instant());
        boolean binary = frame instanceof BinaryWebSocketFrame;
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        String body = binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
        APIGatewayV2WebSocketEvent event = event(c, "$default", "MESSAGE", body, binary, null, null);
        functions.execute(() -> {
            APIGatewayV2WebSocketResponse answer = invoke(routes.defaultRoute(), "DashboardMessageFunction", event);
            String reply = answer == null
                    ? "{\"message\": \"Internal server error\", \"connectionId\":\"" + c.id() + "\", \"requestId\":\""
                        + event.getRequestContext().getRequestId() + "\"}"
                    : answer.getBody();
            if (reply != null && c.channel().isActive()) c.channel().writeAndFlush(new TextWebSocketFrame(reply));
        });
    }

    /** The {@code @connections} API. */
    private void manage(ChannelHandlerContext ctx, HttpMethod method, String connectionId, byte[] body) {
        Connection c = open.get(connectionId);
        if (c == null || !c.channel().isActive()) {
            FullHttpResponse gone = response(HttpResponseStatus.GONE, "{\"message\":null}");
            gone.headers().set("x-amzn-ErrorType", "GoneException");
            ctx.writeAndFlush(gone);
            return;
        }
        if (HttpMethod.POST.equals(method)) {
            if (body.length > MAX_MESSAGE_BYTES) {
                FullHttpResponse tooLarge = response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "{\"message\":\"Message too long\"}");
                tooLarge.headers().set("x-amzn-ErrorType", "PayloadTooLargeException");
                ctx.writeAndFlush(tooLarge);
                return;
            }
            // API Gateway answers once the message is taken, not once the client has read it
            c.channel().writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(body)));
            respond(ctx, HttpResponseStatus.OK, null);
        } else if (HttpMethod.GET.equals(method)) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("connectedAt", c.connectedAt().toString());
            info.put("identity", Map.of("sourceIp", c.sourceIp(), "userAgent", c.userAgent()));
            info.put("lastActiveAt", lastActive.getOrDefault(connectionId, c.connectedAt()).toString());
            respond(ctx, HttpResponseStatus.OK, json(info));
        } else if (HttpMethod.DELETE.equals(method)) {
            c.handshaker().close(c.channel(), new CloseWebSocketFrame(1000, "Going away"));
            respond(ctx, HttpResponseStatus.NO_CONTENT, null);
        } else {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"message\":\"Method not allowed\"}");
        }
    }

    /** A raw {@code /<stage>/@connections/<id>} (or without the stage) → the id, URL-decoded; null for other paths. */
    static String connectionIdIn(String path) {
        String marker = "/@connections/";
        int at = path.indexOf(marker);
        if (at < 0) return null;
        String before = path.substring(0, at);
        if (!before.isEmpty() && !before.equals("/" + STAGE)) return null;
        String id = path.substring(at + marker.length());
        return id.isEmpty() || id.contains("/") ? null : URLDecoder.decode(id, StandardCharsets.UTF_8);
    }

    private APIGatewayV2WebSocketEvent event(Connection c, String routeKey, String type, String body, boolean base64,
                                             Map<String, String> query, Map<String, String> headers) {
        Instant now = clock.instant();
        var rc = new APIGatewayV2WebSocketEvent.RequestContext();
        rc.setRouteKey(routeKey);
        rc.setEventType(type);
        rc.setMessageDirection("IN");
        rc.setConnectionId(c.id());
        rc.setConnectedAt(c.connectedAt().toEpochMilli());
        rc.setRequestId(UUID.randomUUID().toString());
        rc.setExtendedRequestId(rc.getRequestId());
        rc.setRequestTime(REQUEST_TIME.format(now));
        rc.setRequestTimeEpoch(now.toEpochMilli());
        rc.setStage(STAGE);
        rc.setApiId("local");
        rc.setDomainName("127.0.0.1:" + port());
        rc.setAccountId("000000000000");
        if ("MESSAGE".equals(type)) rc.setMessageId(UUID.randomUUID().toString());
        var identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp(c.sourceIp());
        identity.setUserAgent(c.userAgent());
        rc.setIdentity(identity);
        var event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(rc);
        event.setIsBase64Encoded(base64);
        event.setBody(body);
        // like API Gateway: headers and query string on $connect only
        if (headers != null) {
            event.setHeaders(headers);
            Map<String, List<String>> multi = new LinkedHashMap<>();
            headers.forEach((k, v) -> multi.put(k, List.of(v.split(","))));
            event.setMultiValueHeaders(multi);
        }
        if (query != null && !query.isEmpty()) {
            event.setQueryStringParameters(query);
            Map<String, List<String>> multi = new LinkedHashMap<>();
            query.forEach((k, v) -> multi.put(k, List.of(v)));
            event.setMultiValueQueryStringParameters(multi);
        }
        return event;
    }

    /** @return null when the function threw (API Gateway then answers as for an integration failure) */
    private static APIGatewayV2WebSocketResponse invoke(
            RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function, String name,
            APIGatewayV2WebSocketEvent event) {
        try {
            return function.handleRequest(event, new LocalContext(name, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            System.getLogger(LocalWebSocketGateway.class.getName()).log(System.Logger.Level.WARNING,
                    name + " failed on " + event.getRequestContext().getRouteKey() + ": " + e);
            return null;
        }
    }

    /** Shaped like API Gateway's connection ids, e.g. {@code L0SM9cOFvHcCIhw=}: 11 random bytes in base64. */
    private static String newConnectionId() {
        byte[] bytes = new byte[11];
        IDS.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        ctx.writeAndFlush(response(status, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (body != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
