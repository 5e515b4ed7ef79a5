package com.headcount.infra;

import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesis.StreamConsumer;
import software.constructs.Construct;

/**
 * A Kinesis event source mapping on a function's alias, starting at the oldest record (nothing already on the
 * stream when it is created is skipped). Read grants go to the function's role.
 */
final class StreamTrigger {

    private StreamTrigger() {}

    static EventSourceMapping on(Construct scope, String id, JavaFunction function, IStream stream,
                                 EventSourceMappingOptions.Builder options) {
        stream.grantRead(function);
        return mapping(scope, id, function, stream.getStreamArn(), options);
    }

    /** Enhanced fan-out: a consumer of its own, records pushed as they arrive instead of polled once a second. */
    static EventSourceMapping throughConsumer(Construct scope, String id, JavaFunction function, IStream stream,
                                              String consumerName, EventSourceMappingOptions.Builder options) {
        StreamConsumer consumer = StreamConsumer.Builder.create(scope, id + "Consumer")
                .stream(stream).streamConsumerName(consumerName).build();
        stream.grantRead(function);
        consumer.grantRead(function);
        return mapping(scope, id, function, consumer.getStreamConsumerArn(), options);
    }

    /** Lambda's own defaults, written out: CloudFormation's -1 means "forever", which the L2 refuses to express. */
    static void retryForever(EventSourceMapping mapping) {
        var cfn = (CfnEventSourceMapping) mapping.getNode().getDefaultChild();
        cfn.addPropertyOverride("MaximumRetryAttempts", -1);
        cfn.addPropertyOverride("MaximumRecordAgeInSeconds", -1);
    }

    private static EventSourceMapping mapping(Construct scope, String id, JavaFunction function, String sourceArn,
                                              EventSourceMappingOptions.Builder options) {
        var o = options.startingPosition(StartingPosition.TRIM_HORIZON).eventSourceArn(sourceArn).build();
        return function.alias().addEventSourceMapping(id, o);
    }
}
