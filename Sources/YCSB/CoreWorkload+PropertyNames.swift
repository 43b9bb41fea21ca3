extension CoreWorkload {
  /// The workload classes accepted in the `workload` property.
  public static let acceptedWorkloadClasses: Set<String> = [
    "site.ycsb.workloads.CoreWorkload", "com.yahoo.ycsb.workloads.CoreWorkload", "CoreWorkload",
  ]

  /// Every property name CoreWorkload reads: YCSB's CoreWorkload and client properties that shape
  /// the workload, plus `zipfianconstant` and `seed`.
  public static let knownPropertyNames: Set<String> = [
    "workload", "table", "recordcount", "operationcount", "insertstart", "insertcount",
    "fieldcount", "fieldlength", "minfieldlength", "fieldlengthdistribution", "fieldlengthhistogram",
    "fieldnameprefix", "readallfields", "readallfieldsbyname", "writeallfields", "dataintegrity",
    "readproportion", "updateproportion", "insertproportion", "scanproportion",
    "readmodifywriteproportion", "requestdistribution", "zipfianconstant", "insertorder",
    "zeropadding", "minscanlength", "maxscanlength", "scanlengthdistribution", "hotspotdatafraction",
    "hotspotopnfraction", "exponential.percentile", "exponential.frac", "threadcount", "target",
    "maxexecutiontime", "seed", "core_workload_insertion_retry_limit",
    "core_workload_insertion_retry_interval", "core_workload_insertion_keep_going_on_error",
  ]

  /// YCSB client and measurement properties that CoreWorkload does not read. They are not unknown
  /// to YCSB; a runner that does not implement one should say it is ignored, not unknown.
  public static let ycsbClientPropertyNames: Set<String> = [
    "db", "exporter", "exportfile", "dotransactions", "status", "status.interval", "label",
    "measurementtype", "measurement.interval", "measurement.raw.output_file", "measurement.trackjvm",
    "hdrhistogram.percentiles", "hdrhistogram.fileoutput", "hdrhistogram.output.path",
    "histogram.buckets", "timeseries.granularity", "reportlatencyforeacherror",
    "latencytrackederrors",
  ]
}
