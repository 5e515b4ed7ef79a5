/**
 * The emulators as processes: {@link com.headcount.local.emulator.Dynalite} for DynamoDB and
 * {@link com.headcount.local.emulator.Kinesalite} or {@link com.headcount.local.emulator.KinesisLocal} for Kinesis ({@link com.headcount.local.emulator.KinesisEmulator} picks), each on a loopback port for as long as it is
 * open, and {@link com.headcount.local.emulator.LocalAws} for SDK clients aimed at them.
 */
package com.headcount.local.emulator;
