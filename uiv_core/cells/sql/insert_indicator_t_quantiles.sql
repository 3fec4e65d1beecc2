INSERT INTO indicator_t_quantiles SELECT df, t95, t998 FROM new_t_quantiles
