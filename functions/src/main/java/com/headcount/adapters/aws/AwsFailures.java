package com.headcount.adapters.aws;

import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.FailureClassifier.Kind;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How an AWS error met while deciding one scan is sorted (see {@link FailureClassifier}).
 *
 * <ul>
 *   <li>Transient, retried with the batch: throttling, 5xx, timeouts and I/O errors (the SDK's own retries gave up),
 *       and every other 4xx: a missing table, a denied permission or expired credentials are the deployment's
 *       fault, not the scan's; rejecting scans for them would throw good scans away, so the stream waits (and its
 *       iterator age alarm says so).</li>
 *   <li>Permanent, stored as the scan's reject: the service's validation of the request built from the scan
 *       (DynamoDB's {@code ValidationException}, e.g. an item over 400 KB; Kinesis's {@code InvalidArgumentException}),
 *       which fails the same way on every retry. Not a validation error of an expression: that is our code's
 *       mistake, the same for every scan, and rejecting them all for it would lose them; the stream waits for the
 *       fix instead.</li>
 *   <li>Anything that is not an AWS error is the core's to sort ({@link FailureClassifier#CORE}).</li>
 * </ul>
 */
public final class AwsFailures {

    private static final Set<String> REFUSED_AS_SENT = Set.of("ValidationException", "InvalidArgumentException");

    private AwsFailures() {}

    public static Kind classify(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            boolean refused = service.statusCode() == 400 && service.awsErrorDetails() != null
                    && REFUSED_AS_SENT.contains(service.awsErrorDetails().errorCode())
                    && !String.valueOf(service.awsErrorDetails().errorMessage()).contains("Expression");
            return refused && !service.isThrottlingException() ? Kind.PERMANENT : Kind.TRANSIENT;
        }
        if (e instanceof SdkClientException || e instanceof SdkException) return Kind.TRANSIENT;
        return FailureClassifier.CORE.classify(e);
    }
}
