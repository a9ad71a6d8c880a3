"""spark-submit entry point for kg's extraction job (kg/spark.py); see README "Scale and speed".

    spark-submit --master yarn examples/spark/extract_job.py s3://bucket/articles/ s3://bucket/kg-facts/
    kg --store /data/kg load kg-facts/          # after copying the Parquet part files locally

Every executor needs kg installed (pip install newskg, or its wheel) in the Python that
PYSPARK_PYTHON names.
"""
import sys

from kg.spark import main

if __name__ == "__main__":
    sys.exit(main())
